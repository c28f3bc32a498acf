package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** HubDownloader against two local HTTP servers: a fake hub and a fake CDN that the hub redirects to. */
class HubDownloaderTest {
    private static final String TOKEN = "sekrit";
    private static final String TOKENIZER = "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":17,\"content\":\"<<ENT>>\"},"
            + "{\"id\":18,\"content\":\"<<SEP>>\"},{\"id\":19,\"content\":\"<<REL>>\"}],\"model\":{}}";

    @TempDir
    Path tmp;

    private record Response(int status, byte[] body, Map<String, String> headers) {
    }

    private HttpServer hub;
    private HttpServer cdn;
    private final Map<String, Response> hubRoutes = new ConcurrentHashMap<>();
    private final Map<String, Response> cdnRoutes = new ConcurrentHashMap<>();
    /** "HUB GET /path auth=..." lines, in arrival order. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServers() throws IOException {
        hub = server("HUB", hubRoutes);
        cdn = server("CDN", cdnRoutes);
    }

    @AfterEach
    void stopServers() {
        hub.stop(0);
        cdn.stop(0);
    }

    private HttpServer server(String name, Map<String, Response> routes) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> handle(name, routes, ex));
        s.start();
        return s;
    }

    private void handle(String name, Map<String, Response> routes, HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        log.add(name + " " + ex.getRequestMethod() + " " + path + " auth=" + auth);
        Response r = routes.get(path);
        if (r == null && path.startsWith("/acme/private/")) r = new Response(401, new byte[0], Map.of());
        if (r == null && path.startsWith("/acme/renamed/")) {
            // the hub answers a renamed repository with a relative redirect
            r = new Response(307, new byte[0], Map.of("Location", path.replace("/acme/renamed/", "/acme/tiny/")));
        }
        if (r == null) r = new Response(404, "Entry not found".getBytes(StandardCharsets.UTF_8), Map.of());
        r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head || r.body.length == 0) {
            if (head) ex.getResponseHeaders().set("Content-Length", Integer.toString(r.body.length));
            ex.sendResponseHeaders(r.status, -1);
        } else {
            ex.sendResponseHeaders(r.status, r.body.length);
            ex.getResponseBody().write(r.body);
        }
        ex.close();
    }

    private URI hubUri() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort() + "/");
    }

    private void serve(String repo, String file, byte[] body) {
        hubRoutes.put("/" + repo + "/resolve/main/" + file, new Response(200, body, Map.of()));
    }

    /** Like the real hub for LFS files: 302 to the CDN with X-Linked-Size. */
    private void serveViaCdn(String repo, String file, byte[] body) {
        String blob = "/blobs/" + repo.replace('/', '_') + "_" + file;
        cdnRoutes.put(blob, new Response(200, body, Map.of()));
        hubRoutes.put("/" + repo + "/resolve/main/" + file, new Response(302, new byte[0], Map.of(
                "Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + blob,
                "X-Linked-Size", Integer.toString(body.length))));
    }

    private Path tinyCheckpoint() {
        return TinyCheckpoints.write(tmp.resolve("source"), TinyCheckpoints.debertaConfig(), "model.safetensors", DType.F32);
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void publishTiny() {
        Path src = tinyCheckpoint();
        serve("acme/tiny", "gliner_config.json", read(src.resolve(Checkpoint.CONFIG_FILE)));
        serve("acme/tiny", "tokenizer.json", TOKENIZER.getBytes(StandardCharsets.UTF_8));
        serveViaCdn("acme/tiny", "model.safetensors", read(src.resolve("model.safetensors")));
    }

    private long count(String prefix) {
        synchronized (log) {
            return log.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    @Test
    void downloadsSingleFileCheckpointThroughRedirect() throws IOException {
        publishTiny();
        HubDownloader d = new HubDownloader(hubUri(), TOKEN);
        Path cache = tmp.resolve("cache");
        Path dir = d.download("acme/tiny", "main", cache);
        assertEquals(cache.resolve("acme--tiny").resolve("main"), dir);
        assertArrayEquals(read(tmp.resolve("source/model.safetensors")), read(dir.resolve("model.safetensors")));
        assertTrue(Files.exists(dir.resolve("tokenizer.json")));
        assertFalse(Files.exists(dir.resolve("tokenizer_config.json")), "optional file answered 404");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList(), "no temp files left");
        }
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(dir.resolve("tokenizer.json"), c.tokenizerFile());
            assertTrue(c.validationReport().isValid());
        }
        // the token goes to the hub only, never to the CDN the hub redirects to
        synchronized (log) {
            assertTrue(log.stream().filter(l -> l.startsWith("HUB")).allMatch(l -> l.endsWith("auth=Bearer " + TOKEN)), log.toString());
            assertTrue(log.stream().filter(l -> l.startsWith("CDN")).allMatch(l -> l.endsWith("auth=null")), log.toString());
        }
        assertEquals(1, count("CDN GET /blobs/acme_tiny_model.safetensors"));
        assertTrue(log.contains("HUB GET /acme/tiny/resolve/main/spm.model auth=Bearer " + TOKEN));
    }

    @Test
    void skipsFilesAlreadyPresentWithTheSameSize() throws IOException {
        publishTiny();
        HubDownloader d = new HubDownloader(hubUri(), null);
        Path cache = tmp.resolve("cache");
        Path dir = d.download("acme/tiny", null, cache);
        log.clear();
        d.download("acme/tiny", "main", cache);
        assertEquals(0, count("HUB GET /acme/tiny/resolve/main/gliner_config.json"), log.toString());
        assertEquals(0, count("CDN GET"), log.toString());
        assertEquals(1, count("HUB HEAD /acme/tiny/resolve/main/model.safetensors"), log.toString());

        // a local file whose size differs from the remote one is fetched again
        byte[] original = read(dir.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});
        log.clear();
        d.download("acme/tiny", "main", cache);
        assertEquals(1, count("CDN GET"), log.toString());
        assertArrayEquals(original, read(dir.resolve("model.safetensors")));
    }

    @Test
    void downloadsShardedCheckpoint() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        ArchitectureSpec spec = ArchitectureSpec.forConfig(GlinerConfig.fromJson(cfg));
        Map<String, float[]> values = TinyCheckpoints.randomWeights(spec, 9);
        SafeTensorsWriter a = new SafeTensorsWriter();
        SafeTensorsWriter b = new SafeTensorsWriter();
        ObjectNode index = TinyCheckpoints.JSON.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            boolean encoder = e.getKey().startsWith("token_rep_layer.");
            (encoder ? a : b).putFloats(e.getKey(), e.getValue(), spec.tensors().get(e.getKey()).shape());
            map.put(e.getKey(), encoder ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        serve("acme/sharded", "gliner_config.json", cfg.toString().getBytes(StandardCharsets.UTF_8));
        serve("acme/sharded", "model.safetensors.index.json", index.toString().getBytes(StandardCharsets.UTF_8));
        serveViaCdn("acme/sharded", "model-00001-of-00002.safetensors", a.toBytes());
        serve("acme/sharded", "model-00002-of-00002.safetensors", b.toBytes());

        Path dir = new HubDownloader(hubUri(), null).download("acme/sharded", "main", tmp.resolve("cache"));
        assertTrue(log.contains("HUB GET /acme/sharded/resolve/main/model.safetensors auth=null"), "single file tried first");
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertInstanceOf(ShardedTensorSource.class, c.weights());
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                assertArrayEquals(e.getValue(), c.weights().floats(e.getKey()), e.getKey());
            }
        }
    }

    @Test
    void followsRelativeRedirectOfARenamedRepository() {
        publishTiny();
        Path dir = new HubDownloader(hubUri(), null).download("acme/renamed", "main", tmp.resolve("cache"));
        assertEquals(tmp.resolve("cache/acme--renamed/main"), dir);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertTrue(c.validationReport().isValid());
        }
    }

    @Test
    void errorStatusesHaveClearMessages() {
        HubDownloader d = new HubDownloader(hubUri(), null);
        Path cache = tmp.resolve("cache");

        hubRoutes.put("/acme/broken/resolve/main/gliner_config.json", new Response(500, "boom".getBytes(), Map.of()));
        String m = assertThrows(CheckpointException.class, () -> d.download("acme/broken", "main", cache)).getMessage();
        assertTrue(m.contains("500") && m.contains("gliner_config.json") && m.contains("acme/broken"), m);

        m = assertThrows(CheckpointException.class, () -> d.download("acme/private", "main", cache)).getMessage();
        assertTrue(m.contains("401") && m.contains("HF_TOKEN"), m);

        m = assertThrows(CheckpointException.class, () -> d.download("acme/missing", "main", cache)).getMessage();
        assertTrue(m.contains("gliner_config.json") && m.contains("404"), m);

        serve("acme/noweights", "gliner_config.json", "{}".getBytes());
        m = assertThrows(CheckpointException.class, () -> d.download("acme/noweights", "main", cache)).getMessage();
        assertTrue(m.contains("neither model.safetensors nor model.safetensors.index.json"), m);

        serve("acme/lostshard", "gliner_config.json", "{}".getBytes());
        serve("acme/lostshard", "model.safetensors.index.json", "{\"weight_map\":{\"a\":\"model-00001-of-00001.safetensors\"}}".getBytes());
        m = assertThrows(CheckpointException.class, () -> d.download("acme/lostshard", "main", cache)).getMessage();
        assertTrue(m.contains("model-00001-of-00001.safetensors"), m);

        for (String bad : new String[] {"../etc", "a/b/c", "", "acme/.."}) {
            m = assertThrows(CheckpointException.class, () -> d.download(bad, "main", cache)).getMessage();
            assertTrue(m.contains("invalid Hugging Face repository id"), m);
        }

        hubRoutes.put("/acme/loop/resolve/main/gliner_config.json",
                new Response(302, new byte[0], Map.of("Location", "/acme/loop/resolve/main/gliner_config.json")));
        m = assertThrows(CheckpointException.class, () -> d.download("acme/loop", "main", cache)).getMessage();
        assertTrue(m.contains("redirects"), m);
    }

    @Test
    void revisionIsOneEncodedPathSegment() {
        hubRoutes.put("/acme/pr/resolve/refs%2Fpr%2F1/gliner_config.json", new Response(500, new byte[0], Map.of()));
        String m = assertThrows(CheckpointException.class,
                () -> new HubDownloader(hubUri(), null).download("acme/pr", "refs/pr/1", tmp.resolve("cache"))).getMessage();
        assertTrue(m.contains("500"), m + " " + log);
        assertTrue(Files.isDirectory(tmp.resolve("cache/acme--pr/refs_pr_1")));
    }

    @Test
    void environmentDefaults() {
        HubDownloader d = HubDownloader.fromEnvironment();
        String env = System.getenv("HF_ENDPOINT");
        if (env == null || env.isBlank()) assertEquals(HubDownloader.DEFAULT_ENDPOINT, d.endpoint());
        assertEquals(URI.create("http://x.test"), new HubDownloader(URI.create("http://x.test///"), null).endpoint());
    }
}
