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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** {@link OnnxWeights} on hand-encoded protobuf models and on the real MiniLM file. */
class OnnxWeightsTest {

    @TempDir
    Path dir;

    @Test
    void namesAnonymousMatMulWeightsFromTheirNodeAndTransposesThem() throws IOException {
        // [in=2, out=3] as stored by the exporter: row i holds the weights from input i.
        float[] stored = {1, 2, 3, 4, 5, 6};
        byte[] graph = concat(
                field(1, node("/encoder/layer.0/intermediate/dense/MatMul", "MatMul", List.of("x", "onnx::MatMul_42"), List.of("y"))),
                field(1, node("/encoder/layer.0/intermediate/dense/Add", "Add", List.of("encoder.layer.0.intermediate.dense.bias", "y"), List.of("z"))),
                field(5, tensor("onnx::MatMul_42", 1, new long[] {2, 3}, floats(stored), false)),
                field(5, tensor("encoder.layer.0.intermediate.dense.bias", 1, new long[] {3}, floats(new float[] {7, 8, 9}), true)),
                field(5, tensor("embeddings.position_ids", 7, new long[] {1, 4}, longs(0, 1, 2, 3), false)));
        Path f = write(concat(varintField(1, 8), field(7, graph)));

        try (OnnxWeights w = OnnxWeights.open(f)) {
            assertEquals(Set.of("encoder.layer.0.intermediate.dense.weight", "encoder.layer.0.intermediate.dense.bias",
                    "embeddings.position_ids"), new HashSet<>(w.names()));
            var info = w.info("encoder.layer.0.intermediate.dense.weight");
            assertArrayEquals(new long[] {3, 2}, info.shape());
            assertEquals(DType.F32, info.dtype());
            assertEquals("onnx::MatMul_42", w.onnxName("encoder.layer.0.intermediate.dense.weight"));
            // torch layout [out, in]: out row o = column o of the stored matrix.
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w.floats("encoder.layer.0.intermediate.dense.weight"));
            assertArrayEquals(new float[] {7, 8, 9}, w.floats("encoder.layer.0.intermediate.dense.bias"));
            assertArrayEquals(new long[] {0, 1, 2, 3}, w.longs("embeddings.position_ids"));
            assertEquals(2, w.nodes().size());
            assertEquals(List.of("x", "onnx::MatMul_42"), w.nodes().get(0).inputs());
            CheckpointException e = assertThrows(CheckpointException.class, () -> w.floats("nope"));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    @Test
    void hfNameOfMatMul() {
        assertEquals("encoder.layer.11.attention.self.query.weight",
                OnnxWeights.hfNameOfMatMul("/encoder/layer.11/attention/self/query/MatMul"));
        assertEquals("encoder.layer.0.output.dense.weight", OnnxWeights.hfNameOfMatMul("/encoder/layer.0/output/dense/MatMul"));
        assertNull(OnnxWeights.hfNameOfMatMul("/encoder/layer.0/output/dense/Gemm"));
        assertNull(OnnxWeights.hfNameOfMatMul("/MatMul"));
    }

    @Test
    void rawDataOfTheWrongLengthIsRejectedWithTheTensorName() throws IOException {
        byte[] graph = field(5, tensor("embeddings.LayerNorm.weight", 1, new long[] {4}, floats(new float[] {1, 2, 3}), true));
        Path f = write(field(7, graph));
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxWeights.open(f));
        assertTrue(e.getMessage().contains("embeddings.LayerNorm.weight") && e.getMessage().contains("12 data bytes"),
                e.getMessage());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        byte[] graph = field(5, tensor("a.weight", 1, new long[] {2}, floats(new float[] {1, 2}), false));
        byte[] full = field(7, graph);
        Path f = write(Arrays.copyOf(full, full.length - 3));
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxWeights.open(f));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void fileWithoutGraphIsRejected() throws IOException {
        Path f = write(varintField(1, 8));
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxWeights.open(f));
        assertTrue(e.getMessage().contains("no graph"), e.getMessage());
    }

    @Test
    void unsupportedDataTypeIsNamed() throws IOException {
        Path f = write(field(7, field(5, tensor("s", 8, new long[] {1}, new byte[] {1}, false))));
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxWeights.open(f));
        assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("data_type 8"), e.getMessage());
    }

    @Test
    void realMiniLmFileHasEveryHuggingFaceBertWeight() {
        try (OnnxWeights w = OnnxWeights.open(Pretrained.files(PretrainedEncoder.ALL_MINILM_L6_V2).onnxFile())) {
            Set<String> expected = new HashSet<>(List.of("embeddings.word_embeddings.weight",
                    "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                    "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
            for (int i = 0; i < 6; i++) {
                for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                        "attention.output.dense", "intermediate.dense", "output.dense")) {
                    expected.add("encoder.layer." + i + "." + m + ".weight");
                    expected.add("encoder.layer." + i + "." + m + ".bias");
                }
                for (String n : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
                    expected.add("encoder.layer." + i + "." + n + ".weight");
                    expected.add("encoder.layer." + i + "." + n + ".bias");
                }
            }
            Set<String> names = new HashSet<>(w.names());
            names.remove("embeddings.position_ids"); // buffer, not a weight
            assertEquals(expected, names);
            assertArrayEquals(new long[] {1536, 384}, w.info("encoder.layer.5.intermediate.dense.weight").shape());
            assertArrayEquals(new long[] {384, 1536}, w.info("encoder.layer.5.output.dense.weight").shape());
            long[] pos = w.longs("embeddings.position_ids");
            for (int i = 0; i < pos.length; i++) assertEquals(i, pos[i]);
        }
    }

    // ---- a minimal independent protobuf writer --------------------------------------------------

    private Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("m" + System.nanoTime() + ".onnx");
        Files.write(f, bytes);
        return f;
    }

    private static byte[] node(String name, String op, List<String> in, List<String> out) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : in) b.writeBytes(field(1, s.getBytes(StandardCharsets.UTF_8)));
        for (String s : out) b.writeBytes(field(2, s.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(field(3, name.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(field(4, op.getBytes(StandardCharsets.UTF_8)));
        return b.toByteArray();
    }

    private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw, boolean packedDims) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (packedDims) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            for (long x : dims) d.writeBytes(varint(x));
            b.writeBytes(field(1, d.toByteArray()));
        } else {
            for (long x : dims) b.writeBytes(varintField(1, x));
        }
        b.writeBytes(varintField(2, dataType));
        b.writeBytes(field(8, name.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(field(9, raw));
        return b.toByteArray();
    }

    private static byte[] floats(float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) bb.putFloat(x);
        return bb.array();
    }

    private static byte[] longs(long... v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) bb.putLong(x);
        return bb.array();
    }

    private static byte[] field(int number, byte[] payload) {
        return concat(varint(((long) number << 3) | 2), varint(payload.length), payload);
    }

    private static byte[] varintField(int number, long value) {
        return concat(varint((long) number << 3), varint(value));
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            b.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }
}
