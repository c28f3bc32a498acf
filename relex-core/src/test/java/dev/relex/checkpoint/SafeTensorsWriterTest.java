package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsWriterTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsAllDtypesAndMetadata() throws Exception {
        float[] a = {1f, -2.5f, 3.25f, 0f, 1e-3f, -7f};
        long[] ids = {1, -1, Long.MAX_VALUE, 128001};
        Path f = tmp.resolve("sub/x.safetensors");
        new SafeTensorsWriter()
                .putFloats("a.f32", a, 2, 3)
                .putFloats("a.f16", a, DType.F16, 3, 2)
                .putFloats("a.bf16", a, DType.BF16, 6)
                .putLongs("ids", ids, 4)
                .putFloats("scalar", new float[] {42f})
                .putFloats("empty", new float[0], 0, 5)
                .putMetadata("format", "pt")
                .write(f);
        try (SafeTensors st = SafeTensors.open(f)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(DType.F32, st.info("a.f32").dtype());
            assertArrayEquals(new long[] {2, 3}, st.info("a.f32").shape());
            assertArrayEquals(a, st.floats("a.f32"));
            // these values are exactly representable in half and bfloat16 except 1e-3
            float[] f16 = st.floats("a.f16");
            float[] bf16 = st.floats("a.bf16");
            for (int i = 0; i < a.length; i++) {
                if (i == 4) continue;
                assertEquals(a[i], f16[i]);
                assertEquals(a[i], bf16[i]);
            }
            assertEquals(1e-3f, f16[4], 1e-3f * 0x1p-10f);   // half: 10 mantissa bits
            assertEquals(1e-3f, bf16[4], 1e-3f * 0x1p-7f);   // bfloat16: 7 mantissa bits
            assertArrayEquals(ids, st.longs("ids"));
            assertArrayEquals(new long[0], st.info("scalar").shape());
            assertArrayEquals(new float[] {42f}, st.floats("scalar"));
            assertEquals(0, st.floats("empty").length);
        }
        assertArrayEquals(Files.readAllBytes(f), writerFor(a, ids).toBytes(), "write() and toBytes() agree");
    }

    private static SafeTensorsWriter writerFor(float[] a, long[] ids) {
        return new SafeTensorsWriter()
                .putFloats("a.f32", a, 2, 3)
                .putFloats("a.f16", a, DType.F16, 3, 2)
                .putFloats("a.bf16", a, DType.BF16, 6)
                .putLongs("ids", ids, 4)
                .putFloats("scalar", new float[] {42f})
                .putFloats("empty", new float[0], 0, 5)
                .putMetadata("format", "pt");
    }

    @Test
    void layoutMatchesThePythonLibrary() throws Exception {
        byte[] bytes = new SafeTensorsWriter()
                .putFloats("w", new float[] {1f, 2f, 3f}, DType.F16, 3)
                .putLongs("b", new long[] {5}, 1)
                .putFloats("a", new float[] {1f}, 1)
                .toBytes();
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"));
        assertEquals(header.strip().length(), header.stripTrailing().length());
        JsonNode h = TinyCheckpoints.JSON.readTree(header);
        List<String> order = new ArrayList<>();
        h.fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("b", "a", "w"), order, "larger dtypes first, then by name");
        assertEquals("[0,8]", h.get("b").get("data_offsets").toString());
        assertEquals("[8,12]", h.get("a").get("data_offsets").toString());
        assertEquals("[12,18]", h.get("w").get("data_offsets").toString());
        assertEquals(8 + n + 18, bytes.length);
        int data = (int) (8 + n);
        assertEquals(5L, bb.getLong(data));
        assertEquals(1f, bb.getFloat(data + 8));
        // IEEE half: 1.0 = 0x3C00, 2.0 = 0x4000, 3.0 = 0x4200
        assertEquals((short) 0x3C00, bb.getShort(data + 12));
        assertEquals((short) 0x4000, bb.getShort(data + 14));
        assertEquals((short) 0x4200, bb.getShort(data + 16));
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        // exact
        assertEquals((short) 0x3F80, SafeTensorsWriter.toBfloat16(1f));
        // halfway between 0x3F80 and 0x3F81 → even (0x3F80); halfway between 0x3F81 and 0x3F82 → 0x3F82
        assertEquals((short) 0x3F80, SafeTensorsWriter.toBfloat16(Float.intBitsToFloat(0x3F808000)));
        assertEquals((short) 0x3F82, SafeTensorsWriter.toBfloat16(Float.intBitsToFloat(0x3F818000)));
        // just above halfway rounds up
        assertEquals((short) 0x3F81, SafeTensorsWriter.toBfloat16(Float.intBitsToFloat(0x3F808001)));
        assertEquals((short) 0xBF80, SafeTensorsWriter.toBfloat16(-1f));
        assertTrue(Float.isNaN(Float.intBitsToFloat((SafeTensorsWriter.toBfloat16(Float.NaN) & 0xffff) << 16)));
        assertEquals((short) 0x7F80, SafeTensorsWriter.toBfloat16(Float.POSITIVE_INFINITY));
    }

    @Test
    void rejectsBadInput() {
        SafeTensorsWriter w = new SafeTensorsWriter();
        assertThrows(IllegalArgumentException.class, () -> w.putFloats("x", new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> w.putFloats("x", new float[3], DType.I64, 3));
        w.putFloats("x", new float[3], 3);
        assertThrows(IllegalArgumentException.class, () -> w.putFloats("x", new float[3], 3));
        assertThrows(IllegalArgumentException.class, () -> w.putLongs("__metadata__", new long[1], 1));
    }
}
