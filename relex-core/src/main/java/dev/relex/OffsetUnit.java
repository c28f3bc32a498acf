package dev.relex;

/** How character offsets in results are counted. */
public enum OffsetUnit {
    /** Java {@code String} indices (UTF-16 code units); the default. */
    UTF16,
    /** Unicode code points, as the Python reference counts. */
    CODE_POINTS
}
