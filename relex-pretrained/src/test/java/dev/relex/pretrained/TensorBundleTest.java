package dev.relex.pretrained;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TensorBundle} and {@link TfBertNames} on a TensorFlow checkpoint written byte by byte here
 * (LevelDB table layout, BundleEntryProto values), independently of the reader.
 */
class TensorBundleTest {

    @TempDir
    Path dir;

    // ---- a minimal, independent TensorBundle writer -------------------------------------------

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7fL) != 0) {
            o.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    private static byte[] field(int number, int wire, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, ((long) number << 3) | wire);
        if (wire == 2) varint(o, payload.length);
        o.writeBytes(payload);
        return o.toByteArray();
    }

    private static byte[] varintField(int number, long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) number << 3);
        varint(o, v);
        return o.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    /** BundleEntryProto: dtype, shape (TensorShapeProto.dim.size), shard_id, offset, size. */
    private static byte[] entry(int dtype, long[] dims, int shard, long offset, long size) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (long d : dims) shape.writeBytes(field(2, 2, varintField(1, d)));
        return cat(varintField(1, dtype), field(2, 2, shape.toByteArray()), varintField(3, shard),
                varintField(4, offset), varintField(5, size), field(6, 5, new byte[] {1, 2, 3, 4}));
    }

    /**
     * One table block: prefix-compressed entries with a restart point every {@code restartInterval}
     * entries, the restart array and count, then the 5-byte trailer with the given compression type.
     */
    private static byte[] block(List<String> keys, List<byte[]> values, int restartInterval, int type) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        List<Integer> restarts = new ArrayList<>();
        byte[] last = new byte[0];
        for (int i = 0; i < keys.size(); i++) {
            byte[] k = keys.get(i).getBytes(StandardCharsets.UTF_8);
            int shared = 0;
            if (i % restartInterval == 0) restarts.add(o.size());
            else while (shared < Math.min(k.length, last.length) && k[shared] == last[shared]) shared++;
            varint(o, shared);
            varint(o, k.length - shared);
            varint(o, values.get(i).length);
            o.write(k, shared, k.length - shared);
            o.writeBytes(values.get(i));
            last = k;
        }
        ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4 + 5).order(ByteOrder.LITTLE_ENDIAN);
        for (int r : restarts) tail.putInt(r);
        tail.putInt(restarts.size());
        tail.put((byte) type).putInt(0x12345678); // trailer: type + (unchecked) crc
        o.writeBytes(tail.array());
        return o.toByteArray();
    }

    private static byte[] handle(long offset, long size) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, offset);
        varint(o, size);
        return o.toByteArray();
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /**
     * Writes {@code variables.index} with two data blocks and {@code variables.data-00000-of-00001}.
     * Data file: word_embeddings [3,2] at 0, query kernel [2,3] at 24, gamma [2] at 48, global_step
     * int64 at 56, output_bias [3] at 64.
     */
    private Path writeBundle(int compressionType, boolean goodMagic) throws IOException {
        byte[] data = cat(
                f32(1, 2, 3, 4, 5, 6),                 // word_embeddings [3, 2]
                f32(10, 11, 12, 20, 21, 22),           // query kernel [in=2, out=3]
                f32(0.5f, 1.5f),                       // LayerNorm gamma [2]
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1234).array(),
                f32(-1, -2, -3));                      // cls/predictions/output_bias [3]
        Files.write(dir.resolve("variables.data-00000-of-00001"), data);

        byte[] header = cat(varintField(1, 1), varintField(2, 0), field(3, 2, varintField(1, 1)));
        List<String> k1 = List.of("", "module/bert/embeddings/word_embeddings",
                "module/bert/encoder/layer_0/attention/output/LayerNorm/gamma",
                "module/bert/encoder/layer_0/attention/self/query/kernel");
        List<byte[]> v1 = List.of(header, entry(1, new long[] {3, 2}, 0, 0, 24), entry(1, new long[] {2}, 0, 48, 8),
                entry(1, new long[] {2, 3}, 0, 24, 24));
        List<String> k2 = List.of("module/cls/predictions/output_bias", "module/global_step");
        List<byte[]> v2 = List.of(entry(1, new long[] {3}, 0, 64, 12), entry(9, new long[] {}, 0, 56, 8));
        byte[] b1 = block(k1, v1, 2, compressionType);
        byte[] b2 = block(k2, v2, 16, 0);
        long off2 = b1.length;
        byte[] index = block(List.of("module/bert/encoder/layer_0/attention/self/query/kernel\u0000", "module/global_step\u0000"),
                List.of(handle(0, b1.length - 5), handle(off2, b2.length - 5)), 1, 0);
        long indexOff = off2 + b2.length;
        ByteBuffer footer = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        footer.put(cat(handle(0, 0), handle(indexOff, index.length - 5)));
        footer.position(40);
        footer.putLong(goodMagic ? 0xdb4775248b80fb57L : 0x0123456789abcdefL);
        Path idx = dir.resolve("variables.index");
        Files.write(idx, cat(b1, b2, index, footer.array()));
        return idx;
    }

    @Test
    void readsEveryTensorOfAHandWrittenBundle() throws IOException {
        try (TensorBundle b = TensorBundle.open(writeBundle(0, true))) {
            assertEquals(Set.of("module/bert/embeddings/word_embeddings",
                    "module/bert/encoder/layer_0/attention/output/LayerNorm/gamma",
                    "module/bert/encoder/layer_0/attention/self/query/kernel",
                    "module/cls/predictions/output_bias", "module/global_step"), b.names());
            assertArrayEquals(new long[] {2, 3}, b.info("module/bert/encoder/layer_0/attention/self/query/kernel").shape());
            assertEquals(DType.F32, b.info("module/bert/embeddings/word_embeddings").dtype());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, b.floats("module/bert/embeddings/word_embeddings"));
            assertArrayEquals(new float[] {0.5f, 1.5f}, b.floats("module/bert/encoder/layer_0/attention/output/LayerNorm/gamma"));
            assertArrayEquals(new long[] {1234}, b.longs("module/global_step"));
            assertArrayEquals(new long[] {}, b.info("module/global_step").shape());
            CheckpointException e = assertThrows(CheckpointException.class, () -> b.floats("module/global_step"));
            assertTrue(e.getMessage().contains("not a floating-point type"), e.getMessage());
        }
    }

    @Test
    void mapsToHuggingFaceNamesAndTransposesKernels() throws IOException {
        try (TfBertNames w = TfBertNames.wrap(TensorBundle.open(writeBundle(0, true)))) {
            assertEquals(Set.of("embeddings.word_embeddings.weight", "encoder.layer.0.attention.output.LayerNorm.weight",
                    "encoder.layer.0.attention.self.query.weight", "cls.predictions.bias"), w.names());
            assertEquals(Set.of("module/global_step"), w.unmapped());
            // [in=2, out=3] rows (10 11 12), (20 21 22) → torch [out=3, in=2]: (10 20), (11 21), (12 22).
            assertArrayEquals(new long[] {3, 2}, w.info("encoder.layer.0.attention.self.query.weight").shape());
            assertArrayEquals(new float[] {10, 20, 11, 21, 12, 22}, w.floats("encoder.layer.0.attention.self.query.weight"));
            assertArrayEquals(new float[] {0.5f, 1.5f}, w.floats("encoder.layer.0.attention.output.LayerNorm.weight"));
            assertArrayEquals(new float[] {-1, -2, -3}, w.floats("cls.predictions.bias"));
        }
    }

    @Test
    void namesOfARealBertCheckpoint() {
        assertEquals("encoder.layer.11.output.LayerNorm.bias", TfBertNames.hfName("module/bert/encoder/layer_11/output/LayerNorm/beta"));
        assertEquals("encoder.layer.2.intermediate.dense.weight", TfBertNames.hfName("bert/encoder/layer_2/intermediate/dense/kernel"));
        assertEquals("embeddings.token_type_embeddings.weight", TfBertNames.hfName("module/bert/embeddings/token_type_embeddings"));
        assertEquals("embeddings.LayerNorm.weight", TfBertNames.hfName("module/bert/embeddings/LayerNorm/gamma"));
        assertEquals("pooler.dense.weight", TfBertNames.hfName("module/bert/pooler/dense/kernel"));
        assertEquals("cls.predictions.transform.LayerNorm.bias", TfBertNames.hfName("module/cls/predictions/transform/LayerNorm/beta"));
        assertEquals("cls.predictions.transform.dense.weight", TfBertNames.hfName("module/cls/predictions/transform/dense/kernel"));
        assertEquals(null, TfBertNames.hfName("module/cls/seq_relationship/output_weights"));
        assertEquals(null, TfBertNames.hfName("bert/encoder/layer_0/output/dense/kernel/adam_m"));
    }

    @Test
    void rejectsBadMagicAndCompressedBlocks() throws IOException {
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorBundle.open(writeBundle(0, false)));
        assertTrue(e.getMessage().contains("bad table magic") && e.getMessage().contains("variables.index"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> TensorBundle.open(writeBundle(1, true)));
        assertTrue(e.getMessage().contains("compression type 1"), e.getMessage());
    }

    @Test
    void dataShardTooShortIsNamed() throws IOException {
        Path idx = writeBundle(0, true);
        Files.write(dir.resolve("variables.data-00000-of-00001"), new byte[40]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorBundle.open(idx));
        assertTrue(e.getMessage().contains("which has only 40"), e.getMessage());
    }
}
