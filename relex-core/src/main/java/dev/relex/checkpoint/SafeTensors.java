package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One memory-mapped safetensors file: 8-byte little-endian header length, JSON header, raw data.
 * The header is validated (offsets inside the file, byte length = elements × element size) when the
 * file is opened, so a truncated or corrupt file fails early with a message naming file and tensor.
 */
public final class SafeTensors implements TensorSource {
    /** Duplicate keys in the header are rejected (a silent "last one wins" could hide corruption). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Largest header we accept; real headers are a few hundred KiB. */
    private static final long MAX_HEADER = 100L << 20;

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, FileChannel channel, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a safetensors file. */
    public static SafeTensors open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file + ": not a safetensors file (" + size + " bytes, need at least 8)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new CheckpointException(file + ": corrupt safetensors header length " + headerLen
                        + " (file has " + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CheckpointException(file + ": corrupt safetensors header (invalid JSON): " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new CheckpointException(file + ": corrupt safetensors header (not a JSON object)");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                if (name.equals("__metadata__")) {
                    v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(name, parseEntry(file, name, v, dataStart, dataLen));
            }
            checkContiguous(file, tensors, dataStart, dataLen);
            return new SafeTensors(file, ch, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(meta));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Like the Python library: tensors must tile the data section exactly, without overlaps, holes or
     * trailing bytes. Files written by torch/safetensors always do; anything else is corrupt.
     */
    private static void checkContiguous(Path file, Map<String, TensorInfo> tensors, long dataStart, long dataLen) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::dataOffset).thenComparingLong(TensorInfo::byteLength));
        long expected = 0;
        for (TensorInfo t : sorted) {
            long begin = t.dataOffset() - dataStart;
            if (begin != expected) {
                throw new CheckpointException(file + ": tensor '" + t.name() + "' data starts at byte " + begin
                        + " but the previous tensor ends at byte " + expected
                        + (begin < expected ? " (overlapping tensors)" : " (gap in the data section)"));
            }
            expected = begin + t.byteLength();
        }
        if (expected != dataLen) {
            throw new CheckpointException(file + ": data section has " + dataLen + " bytes but its tensors cover "
                    + expected + " (trailing bytes or corrupt offsets)");
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode v, long dataStart, long dataLen) {
        JsonNode dt = v.get("dtype");
        JsonNode shape = v.get("shape");
        JsonNode offs = v.get("data_offsets");
        if (dt == null || shape == null || offs == null || !shape.isArray() || !offs.isArray() || offs.size() != 2
                || !offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()) {
            throw new CheckpointException(file + ": corrupt header entry for tensor '" + name + "': " + v);
        }
        DType dtype;
        try {
            dtype = DType.parse(dt.asText());
        } catch (CheckpointException e) {
            throw new CheckpointException(file + ": tensor '" + name + "': " + e.getMessage(), e);
        }
        long[] s = new long[shape.size()];
        long numel = 1;
        for (int i = 0; i < s.length; i++) {
            JsonNode dim = shape.get(i);
            s[i] = dim.isIntegralNumber() ? dim.asLong() : -1;
            if (s[i] < 0) throw new CheckpointException(file + ": tensor '" + name + "' has an invalid dimension " + dim);
            numel = multiply(file, name, numel, s[i]);
        }
        long needed = multiply(file, name, numel, dtype.size());
        long begin = offs.get(0).asLong(-1);
        long end = offs.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen) {
            throw new CheckpointException(file + ": tensor '" + name + "' data [" + begin + ", " + end
                    + ") lies outside the data section of " + dataLen + " bytes (truncated file?)");
        }
        if (end - begin != needed) {
            throw new CheckpointException(file + ": tensor '" + name + "' has " + (end - begin) + " bytes but "
                    + dtype + " " + java.util.Arrays.toString(s) + " needs " + needed);
        }
        return new TensorInfo(name, dtype, s, dataStart + begin, end - begin);
    }

    private static long multiply(Path file, String name, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new CheckpointException(file + ": tensor '" + name + "' is too large (size overflows 64 bits)");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    public Path file() {
        return file;
    }

    /** The optional {@code __metadata__} string map. */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new CheckpointException(file + ": missing tensor '" + name + "'");
        return t;
    }

    /** A read-only little-endian view of the tensor's bytes, memory-mapped (not copied). */
    public ByteBuffer mapped(String name) {
        TensorInfo t = info(name);
        try {
            if (t.byteLength() == 0) return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, t.dataOffset(), t.byteLength());
            return m.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot map tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public float[] floats(String name) {
        TensorInfo t = info(name);
        int n = Math.toIntExact(t.numel());
        float[] out = new float[n];
        ByteBuffer b = mapped(name);
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(b.getShort(2 * i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
            }
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(8 * i);
            }
            case I64 -> {
                for (int i = 0; i < n; i++) out[i] = b.getLong(8 * i);
            }
            case I32 -> {
                for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i);
            }
            default -> throw new CheckpointException(file + ": tensor '" + name + "' has dtype " + t.dtype()
                    + ", which cannot be read as floats");
        }
        return out;
    }

    @Override
    public long[] longs(String name) {
        TensorInfo t = info(name);
        int n = Math.toIntExact(t.numel());
        long[] out = new long[n];
        ByteBuffer b = mapped(name);
        switch (t.dtype()) {
            case I64 -> b.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i);
            }
            case I16 -> {
                for (int i = 0; i < n; i++) out[i] = b.getShort(2 * i);
            }
            case I8, BOOL -> {
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case U8 -> {
                for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff;
            }
            default -> throw new CheckpointException(file + ": tensor '" + name + "' has dtype " + t.dtype()
                    + ", which cannot be read as integers");
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
