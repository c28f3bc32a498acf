package dev.relex;

/**
 * An entity supplied by the caller for {@link RelexModel#scoreRelations}: character offsets into the text
 * (UTF-16 units, end exclusive) on word boundaries, and its label.
 */
public record GivenEntity(int start, int end, String label) {
    public GivenEntity {
        if (start < 0 || end <= start) throw new IllegalArgumentException("entity offsets [" + start + ", " + end + ") are empty or negative");
        if (label == null || label.isBlank()) throw new IllegalArgumentException("entity label must not be blank");
    }
}
