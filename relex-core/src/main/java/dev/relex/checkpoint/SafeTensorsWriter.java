package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files in the layout of the Python library: 8-byte little-endian header length,
 * JSON header ({@code __metadata__} first, then tensors ordered by decreasing element size and then by
 * name, so every tensor is aligned to its element size) padded with spaces to a multiple of 8 bytes,
 * then the raw little-endian data. Float data can be stored as F32, F16 or BF16 (round to nearest
 * even, like torch); long data as I64.
 *
 * <p>The arrays are referenced, not copied, until {@link #write(Path)}; data is streamed to disk in
 * chunks, so checkpoints larger than 2 GiB can be written. Not thread-safe.
 */
public final class SafeTensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    private record Entry(String name, DType dtype, long[] shape, float[] floats, long[] longs) {
        long numel() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }

        long byteLength() {
            return numel() * dtype.size();
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a float tensor stored as F32. */
    public SafeTensorsWriter putFloats(String name, float[] data, long... shape) {
        return putFloats(name, data, DType.F32, shape);
    }

    /** Adds a float tensor stored as {@code dtype} (F32, F16 or BF16). */
    public SafeTensorsWriter putFloats(String name, float[] data, DType dtype, long... shape) {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("float data can be written as F32, F16 or BF16, not " + dtype);
        }
        return put(new Entry(name, dtype, shape.clone(), data, null), data.length);
    }

    /** Adds an integer tensor stored as I64. */
    public SafeTensorsWriter putLongs(String name, long[] data, long... shape) {
        return put(new Entry(name, DType.I64, shape.clone(), null, data), data.length);
    }

    /** Adds an entry to the optional {@code __metadata__} string map. */
    public SafeTensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    private SafeTensorsWriter put(Entry e, int length) {
        if (e.name.equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is reserved");
        for (long d : e.shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + e.name + "': negative dimension in " + Arrays.toString(e.shape));
        }
        if (e.numel() != length) {
            throw new IllegalArgumentException("tensor '" + e.name + "': shape " + Arrays.toString(e.shape) + " has "
                    + e.numel() + " elements but the array has " + length);
        }
        if (entries.putIfAbsent(e.name, e) != null) throw new IllegalArgumentException("duplicate tensor '" + e.name + "'");
        return this;
    }

    /** Writes the file through a temporary sibling and an atomic rename, replacing any existing file. */
    public void write(Path file) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(ch);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write safetensors file: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort clean-up of a failed write
                }
            }
        }
    }

    /** The complete file as bytes (for small files, e.g. in tests). */
    public byte[] toBytes() {
        List<Entry> order = ordered();
        byte[] header = header(order);
        long total = 8L + header.length;
        for (Entry e : order) total += e.byteLength();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        for (Entry e : order) encode(e, 0, e.numel(), out);
        return out.array();
    }

    private void writeTo(FileChannel ch) throws IOException {
        List<Entry> order = ordered();
        byte[] header = header(order);
        ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(header.length).put(header).flip();
        writeFully(ch, head);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : order) {
            long n = e.numel();
            long perChunk = CHUNK / e.dtype.size();
            for (long from = 0; from < n; from += perChunk) {
                buf.clear();
                encode(e, from, Math.min(n, from + perChunk), buf);
                buf.flip();
                writeFully(ch, buf);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** Python's order: larger element size first (keeps every tensor aligned), then by name. */
    private List<Entry> ordered() {
        List<Entry> order = new ArrayList<>(entries.values());
        order.sort(Comparator.comparingInt((Entry e) -> -e.dtype.size()).thenComparing(Entry::name));
        return order;
    }

    private byte[] header(List<Entry> order) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Entry e : order) {
            ObjectNode t = root.putObject(e.name);
            t.put("dtype", e.dtype.name());
            ArrayNode s = t.putArray("shape");
            for (long d : e.shape) s.add(d);
            ArrayNode o = t.putArray("data_offsets");
            o.add(offset);
            offset += e.byteLength();
            o.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void encode(Entry e, long from, long to, ByteBuffer out) {
        int a = Math.toIntExact(from);
        int b = Math.toIntExact(to);
        switch (e.dtype) {
            case F32 -> {
                for (int i = a; i < b; i++) out.putFloat(e.floats[i]);
            }
            case F16 -> {
                for (int i = a; i < b; i++) out.putShort(Float.floatToFloat16(e.floats[i]));
            }
            case BF16 -> {
                for (int i = a; i < b; i++) out.putShort(toBfloat16(e.floats[i]));
            }
            case I64 -> {
                for (int i = a; i < b; i++) out.putLong(e.longs[i]);
            }
            default -> throw new IllegalStateException("unexpected dtype " + e.dtype);
        }
    }

    /** float32 → bfloat16 with round-to-nearest-even, NaN kept quiet (as torch converts). */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
