package dev.relex.pretrained;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.DType;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A TensorFlow checkpoint in the "TensorBundle" format ({@code PREFIX.index} + {@code PREFIX.data-NNNNN-of-MMMMM}),
 * exposed as a {@link TensorSource} under the TensorFlow variable names ({@code bert/encoder/layer_0/...}).
 * {@link TfBertNames} maps them to Hugging Face names.
 *
 * <p>The index is a LevelDB-format table: a 48-byte footer (metaindex and index block handles as varint
 * pairs, zero padding, magic {@code 0xdb4775248b80fb57} little-endian); the index block maps keys to data
 * block handles; every block holds prefix-compressed entries (varint shared / non-shared / value lengths,
 * key suffix, value), a restart array of u32, a u32 restart count, and is followed by a 5-byte trailer
 * (compression type, CRC). Only uncompressed blocks (type 0) are supported. Each value is a
 * {@code BundleEntryProto} (dtype = 1, shape = 2, shard_id = 3, offset = 4, size = 5, crc32c = 6, slices = 7);
 * the empty key holds the {@code BundleHeaderProto} (num_shards = 1, endianness = 2).
 *
 * <p>Data shards are memory-mapped (each at most 2 GiB); tensors are read on demand.
 */
public final class TensorBundle implements TensorSource {
    private static final long MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER = 48;

    private record Entry(TensorInfo info, int shard) {}

    private final Path index;
    private final Map<String, Entry> entries;
    private final FileChannel[] channels;
    private final MappedByteBuffer[] shards;

    private TensorBundle(Path index, Map<String, Entry> entries, FileChannel[] channels, MappedByteBuffer[] shards) {
        this.index = index;
        this.entries = entries;
        this.channels = channels;
        this.shards = shards;
    }

    /**
     * Opens {@code PREFIX.index} and its data shards {@code PREFIX.data-%05d-of-%05d} next to it.
     *
     * @param indexFile the {@code .index} file, e.g. {@code variables/variables.index}
     */
    public static TensorBundle open(Path indexFile) {
        String name = indexFile.getFileName().toString();
        if (!name.endsWith(".index")) {
            throw new CheckpointException("TensorBundle index file must end in .index: " + indexFile);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(indexFile);
        } catch (IOException e) {
            throw new CheckpointException("cannot read TensorBundle index " + indexFile + ": " + e.getMessage(), e);
        }
        Parsed p = parseIndex(indexFile, bytes);
        String prefix = name.substring(0, name.length() - ".index".length());
        FileChannel[] channels = new FileChannel[p.numShards];
        MappedByteBuffer[] maps = new MappedByteBuffer[p.numShards];
        try {
            for (int s = 0; s < p.numShards; s++) {
                Path data = indexFile.resolveSibling(String.format(Locale.ROOT, "%s.data-%05d-of-%05d", prefix, s, p.numShards));
                channels[s] = FileChannel.open(data, StandardOpenOption.READ);
                long size = channels[s].size();
                if (size > Integer.MAX_VALUE) {
                    throw new CheckpointException("TensorBundle shard " + data + " is larger than 2 GiB");
                }
                maps[s] = channels[s].map(FileChannel.MapMode.READ_ONLY, 0, size);
                maps[s].order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : p.entries.values()) {
                    if (e.shard == s && e.info.dataOffset() + e.info.byteLength() > size) {
                        throw new CheckpointException("TensorBundle " + indexFile + ": tensor '" + e.info.name()
                                + "' needs bytes up to " + (e.info.dataOffset() + e.info.byteLength()) + " of shard "
                                + data + ", which has only " + size);
                    }
                }
            }
        } catch (IOException e) {
            closeAll(channels);
            throw new CheckpointException("cannot open data shard of TensorBundle " + indexFile + ": " + e, e);
        } catch (RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        return new TensorBundle(indexFile, p.entries, channels, maps);
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
        MappedByteBuffer m = shards[e.shard];
        int n = Math.toIntExact(e.info.numel());
        int base = Math.toIntExact(e.info.dataOffset());
        float[] out = new float[n];
        switch (e.info.dtype()) {
            case F32 -> m.slice(base, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) m.getDouble(base + 8 * i); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(m.getShort(base + 2 * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((m.getShort(base + 2 * i) & 0xffff) << 16); }
            default -> throw new CheckpointException("TensorBundle " + index + ": tensor '" + name + "' has dtype "
                    + e.info.dtype() + ", not a floating-point type");
        }
        return out;
    }

    @Override
    public long[] longs(String name) {
        Entry e = entry(name);
        MappedByteBuffer m = shards[e.shard];
        int n = Math.toIntExact(e.info.numel());
        int base = Math.toIntExact(e.info.dataOffset());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (e.info.dtype()) {
                case I64 -> m.getLong(base + 8 * i);
                case I32 -> m.getInt(base + 4 * i);
                case I16 -> m.getShort(base + 2 * i);
                case I8, BOOL -> m.get(base + i);
                case U8 -> m.get(base + i) & 0xff;
                default -> throw new CheckpointException("TensorBundle " + index + ": tensor '" + name + "' has dtype "
                        + e.info.dtype() + ", not an integer type");
            };
        }
        return out;
    }

    @Override
    public void close() {
        closeAll(channels);
    }

    @Override
    public String toString() {
        return "TensorBundle[" + index + ", " + entries.size() + " tensors]";
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new CheckpointException("tensor '" + name + "' is not in TensorBundle " + index);
        return e;
    }

    private static void closeAll(FileChannel[] channels) {
        for (FileChannel c : channels) {
            if (c == null) continue;
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a read-only channel
            }
        }
    }

    // ---- index table --------------------------------------------------------------------------

    private record Parsed(Map<String, Entry> entries, int numShards) {}

    private static Parsed parseIndex(Path file, byte[] bytes) {
        if (bytes.length < FOOTER) {
            throw new CheckpointException("TensorBundle index " + file + " is " + bytes.length
                    + " bytes, shorter than the 48-byte table footer");
        }
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long magic = all.getLong(bytes.length - 8);
        if (magic != MAGIC) {
            throw new CheckpointException(String.format(Locale.ROOT,
                    "TensorBundle index %s: bad table magic 0x%016x (expected 0x%016x); not a TensorFlow index file",
                    file, magic, MAGIC));
        }
        Cursor footer = new Cursor(file, "footer", bytes, bytes.length - FOOTER, bytes.length - 8);
        footer.varint(); // metaindex offset
        footer.varint(); // metaindex size
        long indexOffset = footer.varint();
        long indexSize = footer.varint();
        List<long[]> dataBlocks = new ArrayList<>();
        for (KeyValue kv : readBlock(file, bytes, indexOffset, indexSize, "index block")) {
            Cursor h = new Cursor(file, "index entry for key '" + kv.key + "'", kv.value, 0, kv.value.length);
            dataBlocks.add(new long[] {h.varint(), h.varint()});
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        int numShards = 1;
        boolean sawHeader = false;
        for (long[] handle : dataBlocks) {
            for (KeyValue kv : readBlock(file, bytes, handle[0], handle[1], "data block at " + handle[0])) {
                if (kv.key.isEmpty()) {
                    numShards = parseHeader(file, kv.value);
                    sawHeader = true;
                    continue;
                }
                Entry e = parseEntry(file, kv.key, kv.value);
                if (entries.put(kv.key, e) != null) {
                    throw new CheckpointException("TensorBundle index " + file + ": key '" + kv.key + "' appears twice");
                }
            }
        }
        if (!sawHeader) throw new CheckpointException("TensorBundle index " + file + " has no header entry (empty key)");
        for (Entry e : entries.values()) {
            if (e.shard < 0 || e.shard >= numShards) {
                throw new CheckpointException("TensorBundle index " + file + ": tensor '" + e.info.name() + "' is in shard "
                        + e.shard + " but the header says " + numShards + " shard(s)");
            }
        }
        return new Parsed(entries, numShards);
    }

    private record KeyValue(String key, byte[] value) {}

    private static List<KeyValue> readBlock(Path file, byte[] bytes, long offset, long size, String what) {
        if (offset < 0 || size < 4 || offset + size + 5 > bytes.length - FOOTER) {
            throw new CheckpointException("TensorBundle index " + file + ": " + what + " (offset " + offset + ", size "
                    + size + ") lies outside the " + bytes.length + "-byte file");
        }
        int start = (int) offset, end = (int) (offset + size);
        int type = bytes[end] & 0xff;
        if (type != 0) {
            throw new CheckpointException("TensorBundle index " + file + ": " + what + " uses compression type " + type
                    + " (only uncompressed blocks, type 0, are supported)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int restarts = b.getInt(end - 4);
        long restartBytes = 4L * restarts + 4;
        if (restarts < 0 || restartBytes > size) {
            throw new CheckpointException("TensorBundle index " + file + ": " + what + " has an invalid restart count " + restarts);
        }
        int entriesEnd = (int) (end - restartBytes);
        Cursor c = new Cursor(file, what, bytes, start, entriesEnd);
        List<KeyValue> out = new ArrayList<>();
        byte[] last = new byte[0];
        while (c.more()) {
            int shared = c.intVarint();
            int nonShared = c.intVarint();
            int valueLength = c.intVarint();
            if (shared > last.length) throw c.error("entry shares " + shared + " key bytes but the previous key has " + last.length);
            byte[] key = Arrays.copyOf(last, shared + nonShared);
            System.arraycopy(c.bytes(nonShared), 0, key, shared, nonShared);
            byte[] value = c.bytes(valueLength);
            out.add(new KeyValue(new String(key, StandardCharsets.UTF_8), value));
            last = key;
        }
        return out;
    }

    private static int parseHeader(Path file, byte[] value) {
        Cursor c = new Cursor(file, "BundleHeaderProto", value, 0, value.length);
        int numShards = 1, endianness = 0;
        while (c.more()) {
            long tag = c.varint();
            int f = (int) (tag >>> 3), w = (int) (tag & 7);
            if (f == 1 && w == 0) numShards = (int) c.varint();
            else if (f == 2 && w == 0) endianness = (int) c.varint();
            else c.skip(w);
        }
        if (endianness != 0) {
            throw new CheckpointException("TensorBundle index " + file + " stores big-endian data (not supported)");
        }
        if (numShards < 1) throw new CheckpointException("TensorBundle index " + file + ": num_shards " + numShards);
        return numShards;
    }

    private static Entry parseEntry(Path file, String key, byte[] value) {
        Cursor c = new Cursor(file, "BundleEntryProto of '" + key + "'", value, 0, value.length);
        int dtype = 0, shard = 0;
        long offset = 0, size = 0;
        List<Long> dims = new ArrayList<>();
        boolean sliced = false;
        while (c.more()) {
            long tag = c.varint();
            int f = (int) (tag >>> 3), w = (int) (tag & 7);
            if (f == 1 && w == 0) dtype = (int) c.varint();
            else if (f == 2 && w == 2) dims.addAll(parseShape(c.sub()));
            else if (f == 3 && w == 0) shard = (int) c.varint();
            else if (f == 4 && w == 0) offset = c.varint();
            else if (f == 5 && w == 0) size = c.varint();
            else if (f == 7 && w == 2) {
                sliced = true;
                c.skip(w);
            } else c.skip(w);
        }
        if (sliced) throw c.error("partitioned (sliced) variables are not supported");
        DType t = dtype(file, key, dtype);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long numel = 1;
        for (long d : shape) numel = Math.multiplyExact(numel, d);
        if (numel * t.size() != size) {
            throw c.error("stores " + size + " bytes, but shape " + Arrays.toString(shape) + " of " + t + " needs " + numel * t.size());
        }
        return new Entry(new TensorInfo(key, t, shape, offset, size), shard);
    }

    private static List<Long> parseShape(Cursor c) {
        List<Long> dims = new ArrayList<>();
        while (c.more()) {
            long tag = c.varint();
            int f = (int) (tag >>> 3), w = (int) (tag & 7);
            if (f == 2 && w == 2) {
                Cursor dim = c.sub();
                long size = 0;
                while (dim.more()) {
                    long t = dim.varint();
                    if ((t >>> 3) == 1 && (t & 7) == 0) size = dim.varint();
                    else dim.skip((int) (t & 7));
                }
                if (size < 0) throw c.error("negative dimension " + size);
                dims.add(size);
            } else if (f == 3 && w == 0 && c.varint() != 0) {
                throw c.error("shape has unknown rank");
            } else if (!(f == 3 && w == 0)) {
                c.skip(w);
            }
        }
        return dims;
    }

    /** TensorFlow DataType enum values (types.proto). */
    private static DType dtype(Path file, String key, int v) {
        return switch (v) {
            case 1 -> DType.F32;
            case 2 -> DType.F64;
            case 3 -> DType.I32;
            case 4 -> DType.U8;
            case 5 -> DType.I16;
            case 6 -> DType.I8;
            case 9 -> DType.I64;
            case 10 -> DType.BOOL;
            case 14 -> DType.BF16;
            case 19 -> DType.F16;
            default -> throw new CheckpointException("TensorBundle index " + file + ": tensor '" + key
                    + "' has unsupported TensorFlow dtype " + v + (v == 7 ? " (DT_STRING)" : ""));
        };
    }

    /** Reads varints and length-delimited fields from a byte range. */
    private static final class Cursor {
        private final Path file;
        private final String what;
        private final byte[] b;
        private int pos;
        private final int end;

        Cursor(Path file, String what, byte[] b, int start, int end) {
            this.file = file;
            this.what = what;
            this.b = b;
            this.pos = start;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw error("truncated varint");
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
            throw error("malformed varint");
        }

        int intVarint() {
            long v = varint();
            if (v < 0 || v > Integer.MAX_VALUE) throw error("length " + v + " out of range");
            return (int) v;
        }

        byte[] bytes(int n) {
            if (n < 0 || n > end - pos) throw error("field of " + n + " bytes runs past the end");
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        Cursor sub() {
            int n = intVarint();
            if (n > end - pos) throw error("nested message of " + n + " bytes runs past the end");
            Cursor c = new Cursor(file, what, b, pos, pos + n);
            pos += n;
            return c;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(intVarint());
                case 5 -> advance(4);
                default -> throw error("unsupported protobuf wire type " + wire);
            }
        }

        private void advance(int n) {
            if (n > end - pos) throw error("field runs past the end");
            pos += n;
        }

        CheckpointException error(String msg) {
            return new CheckpointException("TensorBundle index " + file + ", " + what + ": " + msg);
        }
    }
}
