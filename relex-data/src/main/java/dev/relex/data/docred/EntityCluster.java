package dev.relex.data.docred;

import java.util.Comparator;
import java.util.List;

/**
 * A document entity: its mentions as the dataset lists them ({@code vertexSet} entry). The dataset does not
 * promise that all mentions share one type (Re-DocRED dev has 9 clusters with mixed types), so each mention keeps
 * its own.
 */
public record EntityCluster(List<Mention> mentions) {
    public EntityCluster {
        mentions = List.copyOf(mentions);
        if (mentions.isEmpty()) throw new IllegalArgumentException("an entity needs at least one mention");
    }

    /** The mention that comes first in the document (by document start, then end). */
    public Mention firstMention() {
        return mentions.stream().min(Comparator.comparingInt(Mention::docStart).thenComparingInt(Mention::docEnd)).orElseThrow();
    }

    /** The type of the first-listed mention. */
    public String type() {
        return mentions.get(0).type();
    }

    /** Whether the mentions carry more than one type. */
    public boolean mixedTypes() {
        return mentions.stream().map(Mention::type).distinct().count() > 1;
    }
}
