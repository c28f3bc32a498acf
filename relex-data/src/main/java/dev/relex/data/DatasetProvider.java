package dev.relex.data;

import java.util.List;

/**
 * Contributes datasets to the {@link Datasets} registry; implementations are found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.relex.data.DatasetProvider}), so each
 * group of readers registers itself without editing a central list.
 */
public interface DatasetProvider {
    /** The datasets this provider knows, in the order they should be listed. */
    List<DatasetInfo> datasets();
}
