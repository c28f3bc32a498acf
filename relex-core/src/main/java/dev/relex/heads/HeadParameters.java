package dev.relex.heads;

import dev.relex.engine.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The head tensors as {@link Parameter}s, in load order, each a view of the very array the layers compute
 * with; backward passes find a parameter's gradient by the identity of its value array.
 */
final class HeadParameters {
    private final List<Parameter> list = new ArrayList<>();
    private final Map<float[], Parameter> byArray = new IdentityHashMap<>();

    void add(String name, long[] shape, float[] values) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        Parameter p = new Parameter(name, s, values);
        if (byArray.put(values, p) != null) throw new IllegalStateException("tensor array of " + name + " registered twice");
        list.add(p);
    }

    List<Parameter> all() {
        return Collections.unmodifiableList(list);
    }

    /** The gradient array of the parameter whose value array is {@code values}; null for a null array (no bias). */
    float[] grad(float[] values) {
        if (values == null) return null;
        Parameter p = byArray.get(values);
        if (p == null) throw new IllegalStateException("array is not a head parameter (a derived copy?)");
        return p.grad();
    }
}
