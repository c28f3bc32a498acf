package dev.relex.data;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of known datasets by name ({@code "conll04"}, {@code "docred"}, {@code "gliner-json"}, ...),
 * collected from every {@link DatasetProvider} on the class path.
 */
public final class Datasets {
    private static volatile Map<String, DatasetInfo> all;

    private Datasets() {}

    private static Map<String, DatasetInfo> load() {
        Map<String, DatasetInfo> m = all;
        if (m == null) {
            m = new LinkedHashMap<>();
            for (DatasetProvider p : ServiceLoader.load(DatasetProvider.class, Datasets.class.getClassLoader())) {
                for (DatasetInfo d : p.datasets()) {
                    DatasetInfo before = m.putIfAbsent(d.name(), d);
                    if (before != null) {
                        throw new IllegalStateException("dataset '" + d.name() + "' is registered twice (by "
                                + p.getClass().getName() + ")");
                    }
                }
            }
            m = Collections.unmodifiableMap(m);
            all = m;
        }
        return m;
    }

    /** Every registered dataset, in provider order. */
    public static Collection<DatasetInfo> all() {
        return load().values();
    }

    /**
     * The dataset of that name.
     *
     * @throws IllegalArgumentException naming the known datasets if there is none
     */
    public static DatasetInfo get(String name) {
        DatasetInfo d = load().get(name);
        if (d == null) throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + load().keySet());
        return d;
    }

    public static boolean has(String name) {
        return load().containsKey(name);
    }
}
