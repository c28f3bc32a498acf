package dev.relex.pretrained;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.DType;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The initializers of an ONNX BERT export (as shipped in the langchain4j embedding jars), exposed as a
 * {@link TensorSource} with Hugging Face key names so that {@code Encoders.create(cfg, source, "")}
 * can run them.
 *
 * <p>Only the protobuf wire format is parsed, no ONNX library: {@code ModelProto.graph} (7) →
 * {@code GraphProto.node} (1) and {@code initializer} (5); {@code NodeProto} input (1), output (2),
 * name (3), op_type (4); {@code TensorProto} dims (1), data_type (2), float_data (4), int64_data (7),
 * name (8), raw_data (9). Tensor bytes stay in the memory-mapped file until {@link #floats} copies them.
 *
 * <p>Naming: initializers that already carry a Hugging Face name keep it. The exporter stores each
 * projection matrix anonymously ({@code onnx::MatMul_NNNN}) as [in, out] — the right operand of
 * {@code x · W}. Such a matrix is named after the MatMul node that consumes it
 * ({@code /encoder/layer.3/attention/self/query/MatMul} → {@code encoder.layer.3.attention.self.query.weight})
 * and reported and returned in torch Linear layout [out, in] (transposed on read).
 */
public final class OnnxWeights implements TensorSource {

    // ONNX TensorProto.DataType values.
    private static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT16 = 5, INT32 = 6, INT64 = 7, BOOL = 9,
            FLOAT16 = 10, DOUBLE = 11, BFLOAT16 = 16;

    /** One stored tensor: where its little-endian bytes are and how to present it. */
    private record Entry(TensorInfo info, String onnxName, long[] storedShape, boolean transposed) {}

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final Map<String, Entry> entries;
    private final List<Node> nodes;

    /** A graph node (only the fields used for naming and input discovery). */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

    private OnnxWeights(Path file, FileChannel channel, MappedByteBuffer map, Map<String, Entry> entries, List<Node> nodes) {
        this.file = file;
        this.channel = channel;
        this.map = map;
        this.entries = entries;
        this.nodes = nodes;
    }

    /** Memory-maps and indexes an ONNX model file (at most 2 GiB, weights stored inside the file). */
    public static OnnxWeights open(Path onnxFile) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(onnxFile, StandardOpenOption.READ);
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new CheckpointException("ONNX file " + onnxFile + " is larger than 2 GiB (" + size + " bytes)");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            Parsed p = parse(onnxFile, map);
            return new OnnxWeights(onnxFile, ch, map, name(onnxFile, p), p.nodes);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException("cannot read ONNX file " + onnxFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The graph nodes in file order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The original ONNX initializer name behind a (possibly renamed) key. */
    public String onnxName(String name) {
        return entry(name).onnxName;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return entry(name).info;
    }

    @Override
    public float[] floats(String name) {
        Entry e = entry(name);
        int n = Math.toIntExact(e.info.numel());
        float[] out = new float[n];
        int base = Math.toIntExact(e.info.dataOffset());
        DType t = e.info.dtype();
        if (e.transposed) {
            // Stored [in, out]; return [out, in].
            int in = (int) e.storedShape[0], outDim = (int) e.storedShape[1];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < outDim; o++) out[o * in + i] = element(t, base, i * outDim + o);
            }
            return out;
        }
        if (t == DType.F32) {
            map.slice(base, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        for (int i = 0; i < n; i++) out[i] = element(t, base, i);
        return out;
    }

    @Override
    public long[] longs(String name) {
        Entry e = entry(name);
        int n = Math.toIntExact(e.info.numel());
        int base = Math.toIntExact(e.info.dataOffset());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (e.info.dtype()) {
                case I64 -> map.getLong(base + 8 * i);
                case I32 -> map.getInt(base + 4 * i);
                case I16 -> map.getShort(base + 2 * i);
                case I8, BOOL -> map.get(base + i);
                case U8 -> map.get(base + i) & 0xff;
                default -> throw new CheckpointException("ONNX tensor '" + name + "' has type " + e.info.dtype()
                        + ", not an integer type");
            };
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "OnnxWeights[" + file + ", " + entries.size() + " tensors]";
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new CheckpointException("tensor '" + name + "' is not in ONNX file " + file);
        return e;
    }

    private float element(DType t, int base, int i) {
        return switch (t) {
            case F32 -> map.getFloat(base + 4 * i);
            case F64 -> (float) map.getDouble(base + 8 * i);
            case F16 -> Float.float16ToFloat(map.getShort(base + 2 * i));
            case BF16 -> Float.intBitsToFloat((map.getShort(base + 2 * i) & 0xffff) << 16);
            case I64 -> map.getLong(base + 8 * i);
            case I32 -> map.getInt(base + 4 * i);
            case I16 -> map.getShort(base + 2 * i);
            case I8, BOOL -> map.get(base + i);
            case U8 -> map.get(base + i) & 0xff;
        };
    }

    // ---- naming -------------------------------------------------------------------------------

    private static Map<String, Entry> name(Path file, Parsed p) {
        // Which MatMul node consumes each initializer as its right operand.
        Map<String, String> consumer = new HashMap<>();
        for (Node n : p.nodes) {
            if ("MatMul".equals(n.opType) && n.inputs.size() == 2) consumer.putIfAbsent(n.inputs.get(1), n.name);
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Raw r : p.tensors) {
            DType dtype = dtype(file, r);
            String key = r.name;
            boolean transposed = false;
            long[] shape = r.dims;
            String node = consumer.get(r.name);
            if (node != null && r.dims.length == 2 && !looksLikeHfName(r.name)) {
                key = hfNameOfMatMul(node);
                if (key == null) {
                    throw new CheckpointException("ONNX file " + file + ": cannot derive a weight name for initializer '"
                            + r.name + "' from its MatMul node '" + node + "'");
                }
                transposed = true;
                shape = new long[] {r.dims[1], r.dims[0]};
            }
            long numel = 1;
            for (long d : r.dims) numel *= d;
            long bytes = numel * dtype.size();
            if (bytes != r.dataLength) {
                throw new CheckpointException("ONNX file " + file + ": initializer '" + r.name + "' has "
                        + r.dataLength + " data bytes, expected " + bytes + " for shape "
                        + java.util.Arrays.toString(r.dims) + " of " + dtype);
            }
            Entry e = new Entry(new TensorInfo(key, dtype, shape, r.dataOffset, bytes), r.name, r.dims, transposed);
            if (out.put(key, e) != null) {
                throw new CheckpointException("ONNX file " + file + ": two initializers map to the name '" + key + "'");
            }
        }
        return out;
    }

    private static boolean looksLikeHfName(String n) {
        return n.endsWith(".weight") || n.endsWith(".bias");
    }

    /** {@code /encoder/layer.0/attention/self/query/MatMul} → {@code encoder.layer.0.attention.self.query.weight}. */
    static String hfNameOfMatMul(String nodeName) {
        String s = nodeName;
        if (s.startsWith("/")) s = s.substring(1);
        if (!s.endsWith("/MatMul")) return null;
        s = s.substring(0, s.length() - "/MatMul".length());
        if (s.isEmpty()) return null;
        return s.replace('/', '.') + ".weight";
    }

    private static DType dtype(Path file, Raw r) {
        return switch (r.dataType) {
            case FLOAT -> DType.F32;
            case DOUBLE -> DType.F64;
            case FLOAT16 -> DType.F16;
            case BFLOAT16 -> DType.BF16;
            case INT64 -> DType.I64;
            case INT32 -> DType.I32;
            case INT16 -> DType.I16;
            case INT8 -> DType.I8;
            case UINT8 -> DType.U8;
            case BOOL -> DType.BOOL;
            default -> throw new CheckpointException("ONNX file " + file + ": initializer '" + r.name
                    + "' has unsupported data_type " + r.dataType);
        };
    }

    // ---- protobuf wire format -----------------------------------------------------------------

    private record Raw(String name, long[] dims, int dataType, long dataOffset, long dataLength) {}

    private record Parsed(List<Raw> tensors, List<Node> nodes) {}

    private static Parsed parse(Path file, MappedByteBuffer buf) {
        Reader model = new Reader(file, buf, 0, buf.capacity(), "ModelProto");
        List<Raw> tensors = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        boolean sawGraph = false;
        while (model.more()) {
            long tag = model.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 7 && wire == 2) {
                sawGraph = true;
                Reader graph = model.sub("GraphProto");
                while (graph.more()) {
                    long gt = graph.varint();
                    int gf = (int) (gt >>> 3), gw = (int) (gt & 7);
                    if (gf == 5 && gw == 2) tensors.add(tensor(graph.sub("TensorProto")));
                    else if (gf == 1 && gw == 2) nodes.add(node(graph.sub("NodeProto")));
                    else graph.skip(gw);
                }
            } else {
                model.skip(wire);
            }
        }
        if (!sawGraph) throw new CheckpointException("ONNX file " + file + " has no graph (ModelProto field 7)");
        return new Parsed(tensors, List.copyOf(nodes));
    }

    private static Node node(Reader r) {
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        String name = "", op = "";
        while (r.more()) {
            long tag = r.varint();
            int f = (int) (tag >>> 3), w = (int) (tag & 7);
            if (w == 2 && f == 1) in.add(r.string());
            else if (w == 2 && f == 2) out.add(r.string());
            else if (w == 2 && f == 3) name = r.string();
            else if (w == 2 && f == 4) op = r.string();
            else r.skip(w);
        }
        return new Node(name, op, List.copyOf(in), List.copyOf(out));
    }

    private static Raw tensor(Reader r) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        long off = -1, len = 0;
        boolean external = false;
        while (r.more()) {
            long tag = r.varint();
            int f = (int) (tag >>> 3), w = (int) (tag & 7);
            if (f == 1 && w == 0) dims.add(r.varint());
            else if (f == 1 && w == 2) {
                Reader packed = r.sub("TensorProto.dims");
                while (packed.more()) dims.add(packed.varint());
            } else if (f == 2 && w == 0) dataType = (int) r.varint();
            else if (f == 8 && w == 2) name = r.string();
            else if ((f == 9 || f == 4) && w == 2) {
                // raw_data, or packed float_data (fp32 little-endian, i.e. the same bytes).
                len = r.varint();
                off = r.pos;
                r.advance(len);
            } else if (f == 7 && w == 2) {
                // packed int64_data is varint-encoded, not fixed-width: not supported as a view.
                throw r.error("initializer '" + name + "' stores int64_data; only raw_data is supported");
            } else if (f == 14 && w == 0) {
                external = r.varint() == 1;
            } else r.skip(w);
        }
        if (external) throw r.error("initializer '" + name + "' uses external data, which is not supported");
        if (off < 0) {
            long numel = 1;
            for (long d : dims) numel *= d;
            if (numel != 0) throw r.error("initializer '" + name + "' has no raw_data");
            off = r.pos;
        }
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) d[i] = dims.get(i);
        return new Raw(name, d, dataType, off, len);
    }

    /** A cursor over one length-delimited protobuf message. */
    private static final class Reader {
        private final Path file;
        private final MappedByteBuffer buf;
        private final String message;
        private final long end;
        private long pos;

        Reader(Path file, MappedByteBuffer buf, long start, long end, String message) {
            this.file = file;
            this.buf = buf;
            this.pos = start;
            this.end = end;
            this.message = message;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw error("truncated varint");
                byte b = buf.get((int) pos++);
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) return v;
            }
            throw error("malformed varint");
        }

        Reader sub(String name) {
            long len = varint();
            long start = pos;
            advance(len);
            return new Reader(file, buf, start, start + len, name);
        }

        String string() {
            long len = varint();
            byte[] b = new byte[Math.toIntExact(len)];
            if (pos + len > end) throw error("string runs past the end of the message");
            buf.get((int) pos, b);
            pos += len;
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }

        void advance(long len) {
            if (len < 0 || pos + len > end) throw error("field of " + len + " bytes runs past the end of the message");
            pos += len;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(varint());
                case 5 -> advance(4);
                default -> throw error("unsupported wire type " + wire);
            }
        }

        CheckpointException error(String what) {
            return new CheckpointException("ONNX file " + file + ": " + what + " in " + message + " at byte " + pos);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
