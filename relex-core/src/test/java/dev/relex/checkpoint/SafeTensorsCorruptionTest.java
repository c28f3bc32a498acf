package dev.relex.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Corrupt files must fail at open with a message naming the file and, where relevant, the tensor. */
class SafeTensorsCorruptionTest {
    @TempDir
    Path tmp;

    /** A file built by hand (independent of SafeTensorsWriter): header JSON, then {@code dataBytes} bytes. */
    private Path file(String name, String headerJson, int dataBytes) throws Exception {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes / 4; i++) b.putFloat(i);
        Path f = tmp.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static String fail(Path f) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(f).close());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void validHandBuiltFileOpens() throws Exception {
        Path f = file("ok.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}", 12);
        try (SafeTensors st = SafeTensors.open(f)) {
            assertArrayEquals(new float[] {0f, 1f}, st.floats("a"));
            assertArrayEquals(new float[] {2f}, st.floats("b"));
        }
    }

    @Test
    void truncatedFile() throws Exception {
        Path f = file("t.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 4));
        String m = fail(f);
        assertTrue(m.contains("'a'") && m.contains("outside the data section"), m);

        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(fail(tiny).contains("3 bytes"));
    }

    @Test
    void corruptHeaderLength() throws Exception {
        Path f = file("h.safetensors", "{}", 0);
        byte[] all = Files.readAllBytes(f);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(f, all);
        assertTrue(fail(f).contains("header length"));
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -5);
        Files.write(f, all);
        assertTrue(fail(f).contains("header length -5"));
    }

    @Test
    void corruptJsonHeader() throws Exception {
        assertTrue(fail(file("j.safetensors", "{\"a\":{\"dtype\":", 0)).contains("invalid JSON"));
        assertTrue(fail(file("arr.safetensors", "[1,2]   ", 0)).contains("not a JSON object"));
        String dup = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertTrue(fail(file("dup.safetensors", dup, 4)).toLowerCase().contains("duplicate"));
        String m = fail(file("entry.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 0));
        assertTrue(m.contains("'a'"), m);
        m = fail(file("dtype.safetensors", "{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1));
        assertTrue(m.contains("'a'") && m.contains("Q4"), m);
        m = fail(file("dim.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4));
        assertTrue(m.contains("'a'") && m.contains("dimension"), m);
    }

    @Test
    void offsetsOutsideTheFile() throws Exception {
        String m = fail(file("o.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,1600]}}", 16));
        assertTrue(m.contains("'a'") && m.contains("1600"), m);
        m = fail(file("neg.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 16));
        assertTrue(m.contains("'a'"), m);
    }

    @Test
    void byteCountMustMatchShape() throws Exception {
        String m = fail(file("s.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", 16));
        assertTrue(m.contains("'a'") && m.contains("16 bytes") && m.contains("needs 12"), m);
    }

    @Test
    void overlapsGapsAndTrailingBytesAreRejectedLikePython() throws Exception {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(fail(file("ov.safetensors", overlap, 12)).contains("overlapping"));
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertTrue(fail(file("gap.safetensors", gap, 12)).contains("gap"));
        String trailing = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertTrue(fail(file("tr.safetensors", trailing, 8)).contains("trailing"));
    }

    @Test
    void missingTensorNamesKeyAndFile() throws Exception {
        Path f = file("ok.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        try (SafeTensors st = SafeTensors.open(f)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> st.floats("nope"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains(f.toString()));
            assertThrows(CheckpointException.class, () -> st.longs("a"));
        }
    }
}
