package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tensors spread over several safetensors files, as written by {@code save_pretrained} for large
 * models: an index JSON ({@code model.safetensors.index.json}) whose {@code weight_map} names the
 * shard file of every tensor. Each shard is memory-mapped through {@link SafeTensors}.
 */
public final class ShardedTensorSource implements TensorSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SafeTensors> shards;
    private final Map<String, SafeTensors> owner;

    private ShardedTensorSource(List<SafeTensors> shards, Map<String, SafeTensors> owner) {
        this.shards = List.copyOf(shards);
        this.owner = Collections.unmodifiableMap(owner);
    }

    /**
     * Opens the shards named by an index file. Every tensor of the weight map must exist in the shard
     * it names; tensors a shard holds but the index does not list are not visible (as in transformers).
     */
    public static ShardedTensorSource open(Path indexFile) {
        JsonNode root;
        try {
            root = JSON.readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new CheckpointException(indexFile + ": cannot read shard index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(indexFile + ": shard index has no \"weight_map\" object");
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafeTensors> byFile = new LinkedHashMap<>();
        Map<String, SafeTensors> owner = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new CheckpointException(indexFile + ": weight_map entry for '" + tensor + "' is not a file name");
                }
                String shardName = e.getValue().asText();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.startsWith(dir)) {
                    throw new CheckpointException(indexFile + ": shard '" + shardName + "' lies outside " + dir);
                }
                SafeTensors shard = byFile.get(shardName);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new CheckpointException(indexFile + ": shard file '" + shardName
                                + "' (holding tensor '" + tensor + "') is missing");
                    }
                    shard = SafeTensors.open(shardPath);
                    byFile.put(shardName, shard);
                }
                if (!shard.contains(tensor)) {
                    throw new CheckpointException(indexFile + ": tensor '" + tensor + "' is mapped to shard '"
                            + shardName + "', which does not contain it");
                }
                owner.put(tensor, shard);
            }
        } catch (RuntimeException e) {
            byFile.values().forEach(SafeTensors::close);
            throw e;
        }
        return new ShardedTensorSource(new ArrayList<>(byFile.values()), owner);
    }

    /**
     * Combines already opened files; a tensor name present in two of them is an error. Takes
     * ownership: closing this source closes them.
     */
    public static ShardedTensorSource of(List<SafeTensors> files) {
        Map<String, SafeTensors> owner = new LinkedHashMap<>();
        for (SafeTensors f : files) {
            for (String name : f.names()) {
                SafeTensors prev = owner.putIfAbsent(name, f);
                if (prev != null) {
                    throw new CheckpointException("tensor '" + name + "' appears in both " + prev.file() + " and " + f.file());
                }
            }
        }
        return new ShardedTensorSource(files, owner);
    }

    /** The opened shard files, in index order. */
    public List<SafeTensors> shards() {
        return shards;
    }

    private SafeTensors shardOf(String name) {
        SafeTensors s = owner.get(name);
        if (s == null) throw new CheckpointException("missing tensor '" + name + "' (not in any shard)");
        return s;
    }

    @Override
    public Set<String> names() {
        return owner.keySet();
    }

    @Override
    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    /** A read-only little-endian view of the tensor's bytes, memory-mapped (not copied). */
    public ByteBuffer mapped(String name) {
        return shardOf(name).mapped(name);
    }

    @Override
    public float[] floats(String name) {
        return shardOf(name).floats(name);
    }

    @Override
    public long[] longs(String name) {
        return shardOf(name).longs(name);
    }

    @Override
    public void close() {
        shards.forEach(SafeTensors::close);
    }
}
