package dev.relex.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloadCommandTest {

    @TempDir
    Path tmp;

    private static CliRunner.Result run(String... args) {
        return CliRunner.run((dir, tokenizer) -> {
            throw new AssertionError("no model load expected");
        }, args);
    }

    /** A loopback stand-in for the hub serving the relex-span-gcn golden checkpoint as owner/tiny. */
    @Test
    void downloadsFromAHubEndpointIntoAUsableDirectory() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String prefix = "/owner/tiny/resolve/main/";
            Path file = path.startsWith(prefix) ? GoldenData.SPAN_GCN_MODEL.resolve(path.substring(prefix.length())) : null;
            if (file == null || !Files.isRegularFile(file) || path.contains("..")) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRunner.Result r = run("download", "owner/tiny", "--dir", tmp.toString(), "--endpoint", endpoint);
            assertEquals(ExitCodes.OK, r.code(), r.stderr());
            Path dir = Path.of(r.stdout().strip());
            assertTrue(dir.startsWith(tmp), dir.toString());
            assertArrayEquals(Files.readAllBytes(GoldenData.SPAN_GCN_MODEL.resolve("model.safetensors")),
                    Files.readAllBytes(dir.resolve("model.safetensors")));
            assertEquals(ExitCodes.OK, run("info", "--model", dir.toString()).code());

            CliRunner.Result missing = run("download", "owner/absent", "--dir", tmp.toString(), "--endpoint", endpoint);
            assertEquals(ExitCodes.FATAL, missing.code());
            assertTrue(missing.stderr().contains("gliner_config.json"), missing.stderr());
        } finally {
            server.stop(0);
        }
        assertTrue(requests.get() > 0);
    }

    @Test
    void invalidRepositoryIdIsRejectedWithoutNetwork() {
        CliRunner.Result r = run("download", "not a repo", "--dir", tmp.toString(), "--endpoint", "http://127.0.0.1:9");
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stderr().contains("not a repo"), r.stderr());
    }
}
