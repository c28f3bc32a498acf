package dev.relex.eval.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a report's inputs came from: the checkpoint directory with a fingerprint (SHA-256 over the bytes of
 * {@code gliner_config.json} and the name and size of every other regular file in the directory, sorted by name;
 * cheap for multi-GB weights, and it changes whenever a file is replaced by one of another size or the config
 * changes), and the SHA-256 of the dataset file.
 */
public final class Provenance {
    private Provenance() {}

    public static ObjectNode model(Path dir) throws IOException {
        MessageDigest md = sha256();
        Path config = dir.resolve("gliner_config.json");
        md.update(Files.readAllBytes(config));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        StringBuilder listing = new StringBuilder();
        for (Path f : files) {
            if (f.getFileName().toString().equals("gliner_config.json")) continue;
            String line = f.getFileName() + "\t" + Files.size(f) + "\n";
            listing.append(line);
            md.update(line.getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("dir", dir.toAbsolutePath().normalize().toString());
        o.put("fingerprint_sha256", HexFormat.of().formatHex(md.digest()));
        o.put("fingerprint_of", "gliner_config.json bytes + name and size of every other file");
        return o;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
