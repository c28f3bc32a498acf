package dev.relex.train.target;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The reference's training collation (processor.py {@code RelationExtractionSpanProcessor} /
 * {@code RelationExtractionTokenProcessor} with {@code prepare_labels=True}) for a batch of
 * {@link Example}s: augmentation, label sets, sorting, entity targets, relation candidates, pairs,
 * adjacency and relation targets. See {@link ExampleTargets} for the layout of the result.
 *
 * <p><b>Randomness</b> comes only from the {@link RandomGenerator} passed to {@link #build}, consumed in the
 * reference's call order: (if augmenting) the entity negative-type pool, then per example one
 * {@code nextDouble()} against augment_data_prob and, when augmenting, the example's drop draws; then the
 * entity pool (if not drawn yet) and the relation pool; per example one draw of the negative-type ratio
 * and the label-set shuffles; finally per example the pair sampler's draws. The same seed gives the same
 * targets. Python's {@code random} (and its set iteration order, which depends on {@code PYTHONHASHSEED})
 * cannot be replayed in Java, so sampled label sets, augmentation and random negative pairs follow the
 * reference's rules and distributions, not its exact draws; distinct types are taken in first-seen order
 * where the reference iterates a set.
 *
 * <p><b>Where we differ from the reference on purpose</b> (golden README differences 4–6):
 * <ul>
 *   <li>Span head: the reference numbers relation candidates over every entity that fits (width ≤ K,
 *       end < length) regardless of its label, while its model selects candidates by label; an entity whose
 *       label is not in the label set, or two entities on one span, shift relation indices onto wrong
 *       candidates. Here candidates are the labelled spans in flat order and every entity maps to the
 *       candidate of its span (−1 if its span has no target), so relations always point at the right span;
 *       a relation with an argument that is not a candidate is dropped and reported in
 *       {@link ExampleTargets#notes()}.</li>
 *   <li>Token head: the reference fails with a {@code TypeError} when no example of the batch has more than
 *       one candidate; here that case is ordinary.</li>
 *   <li>Self-relations (head and tail on the same candidate) are dropped and reported: the reference marks
 *       {@code adj[e, e]} but its pair builder skips the diagonal, so its relation rows get out of step.</li>
 * </ul>
 * Other annotations the targets cannot hold (an entity beyond max_len, wider than max_width, or with a
 * label outside a fixed or truncated label set; a relation whose label is outside the relation label set)
 * are also dropped as the reference drops them, and reported in the notes rather than silently.
 * A fixed label set with a repeated label is rejected (the reference would index past its label tensor).
 *
 * <p>Augmentation applies to every example with probability augment_data_prob, also to examples with fixed
 * label sets (golden README difference 1): their entities and relations are dropped, the fixed set is kept.
 */
public final class TargetBuilder {
    private final TargetSettings settings;
    private final PairSampler pairSampler;

    /** With the reference's pair sampling (negative ratio u ~ U(1, 10)). */
    public TargetBuilder(TargetSettings settings) {
        this(settings, new ReferencePairSampler());
    }

    public TargetBuilder(TargetSettings settings, PairSampler pairSampler) {
        this.settings = settings;
        this.pairSampler = pairSampler;
    }

    public TargetSettings settings() {
        return settings;
    }

    /** Mutable view of one example while collating. */
    private static final class Work {
        final Example source;
        List<EntityMention> entities;
        List<RelationMention> relations;
        Set<String> droppedEntityTypes = Set.of(), droppedRelationTypes = Set.of();
        List<String> entityLabels, relationLabels;

        Work(Example e) {
            source = e;
            entities = e.entities();
            relations = e.relations();
        }
    }

    /** Targets for {@code batch}; all randomness from {@code rng}. */
    public BatchTargets build(List<Example> batch, RandomGenerator rng) {
        List<Work> work = batch.stream().map(Work::new).toList();
        List<String> entityPool = null;
        if (settings.augmentDataProb() > 0) {
            entityPool = negativePool(work, true, rng);
            for (Work w : work) {
                if (rng.nextDouble() < settings.augmentDataProb()) augment(w, rng);
            }
        }
        if (entityPool == null) entityPool = negativePool(work, true, rng);
        List<String> relationPool = negativePool(work, false, rng);
        for (Work w : work) chooseLabelSets(w, entityPool, relationPool, rng);

        List<Partial> partials = new ArrayList<>();
        for (Work w : work) partials.add(entityTargets(w));
        boolean hasRelationClasses = work.stream().anyMatch(w -> !w.relationLabels.isEmpty());
        List<ExampleTargets> out = new ArrayList<>();
        for (int i = 0; i < partials.size(); i++) out.add(relationTargets(i, partials.get(i), hasRelationClasses, rng));
        return new BatchTargets(settings, out);
    }

    // ---------------------------------------------------------------- label sets and augmentation

    /** get_negatives: up to negativeTypePool distinct types of the batch (first-seen order), sampled without replacement. */
    private List<String> negativePool(List<Work> work, boolean entities, RandomGenerator rng) {
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (Work w : work) {
            if (entities) for (EntityMention e : w.entities) types.add(e.label());
            else for (RelationMention r : w.relations) types.add(r.label());
        }
        List<String> all = new ArrayList<>(types);
        int k = Math.min(settings.negativeTypePool(), all.size());
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(all.size() - i);
            String t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return List.copyOf(all.subList(0, k));
    }

    /** augment_example (processor.py:1447-1534). */
    private void augment(Work w, RandomGenerator rng) {
        if (w.entities.isEmpty()) return;
        double entDrop = uniform(rng, settings.augmentEntDropMin(), settings.augmentEntDropMax());
        double relDrop = uniform(rng, settings.augmentRelDropMin(), settings.augmentRelDropMax());
        boolean addOther = rng.nextDouble() < settings.augmentAddOtherProb();
        Set<String> droppedEnt = new LinkedHashSet<>(), droppedRel = new LinkedHashSet<>();
        for (String t : distinct(w.entities.stream().map(EntityMention::label).toList())) {
            if (!t.equals(TargetSettings.OTHER) && rng.nextDouble() < entDrop) droppedEnt.add(t);
        }
        for (String t : distinct(w.relations.stream().map(RelationMention::label).toList())) {
            if (rng.nextDouble() < relDrop) droppedRel.add(t);
        }
        if (droppedEnt.isEmpty() && droppedRel.isEmpty()) return;
        Set<Integer> active = new HashSet<>();
        for (RelationMention r : w.relations) {
            if (!droppedRel.contains(r.label())) {
                active.add(r.head());
                active.add(r.tail());
            }
        }
        List<EntityMention> ents = new ArrayList<>();
        Map<Integer, Integer> oldToNew = new HashMap<>();
        for (int i = 0; i < w.entities.size(); i++) {
            EntityMention e = w.entities.get(i);
            boolean dropped = droppedEnt.contains(e.label());
            if (dropped && (!active.contains(i) || !addOther)) continue;
            oldToNew.put(i, ents.size());
            ents.add(dropped ? new EntityMention(e.start(), e.end(), TargetSettings.OTHER) : e);
        }
        List<RelationMention> rels = new ArrayList<>();
        for (RelationMention r : w.relations) {
            if (droppedRel.contains(r.label())) continue;
            Integer h = oldToNew.get(r.head()), t = oldToNew.get(r.tail());
            if (h != null && t != null) rels.add(new RelationMention(h, t, r.label()));
        }
        w.entities = ents;
        w.relations = rels;
        w.droppedEntityTypes = droppedEnt;
        w.droppedRelationTypes = droppedRel;
    }

    /** batch_generate_class_mappings, one example. */
    private void chooseLabelSets(Work w, List<String> entityPool, List<String> relationPool, RandomGenerator rng) {
        int ratio = settings.maxNegTypeRatio() > 0 ? rng.nextInt(settings.maxNegTypeRatio() + 1) : 0;
        Example ex = w.source;
        if (ex.entityLabels() != null) {
            w.entityLabels = checkedFixed(ex, ex.entityLabels(), "entity");
        } else {
            List<String> negs = ex.entityNegatives() != null ? ex.entityNegatives()
                    : entityPool.subList(0, Math.min(entityPool.size(), w.entities.size() * ratio));
            List<String> types = new ArrayList<>();
            for (EntityMention e : w.entities) if (!w.droppedEntityTypes.contains(e.label())) types.add(e.label());
            types.addAll(negs);
            w.entityLabels = shuffledCapped(types, rng);
        }
        if (ex.relationLabels() != null) {
            w.relationLabels = checkedFixed(ex, ex.relationLabels(), "relation");
        } else {
            List<String> negs = ex.relationNegatives() != null ? ex.relationNegatives()
                    : relationPool.subList(0, Math.min(relationPool.size(), w.relations.size() * ratio));
            List<String> types = new ArrayList<>();
            for (RelationMention r : w.relations) if (!w.droppedRelationTypes.contains(r.label())) types.add(r.label());
            types.addAll(negs);
            w.relationLabels = shuffledCapped(types, rng);
        }
    }

    private static List<String> checkedFixed(Example ex, List<String> labels, String kind) {
        Set<String> seen = new HashSet<>();
        for (String l : labels) {
            if (!seen.add(l)) {
                throw new IllegalArgumentException(ex.id() + ": the fixed " + kind + " label set repeats \"" + l + "\": " + labels);
            }
        }
        return labels;
    }

    /** set(types), shuffled (Python's random.shuffle order of swaps), cut to max_types. */
    private List<String> shuffledCapped(List<String> types, RandomGenerator rng) {
        List<String> d = new ArrayList<>(distinct(types));
        for (int i = d.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = d.get(i);
            d.set(i, d.get(j));
            d.set(j, t);
        }
        return List.copyOf(d.subList(0, Math.min(d.size(), settings.maxTypes())));
    }

    private static List<String> distinct(List<String> xs) {
        return List.copyOf(new LinkedHashSet<>(xs));
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    // ---------------------------------------------------------------- entity targets and candidates

    /** An example with its entity targets and candidates, before pairs. */
    private record Partial(Work work, int words, List<EntityMention> entities, List<RelationMention> relations,
                           float[] entityTargets, int[] candStart, int[] candEnd, int[] entityCandidate,
                           List<String> notes) {}

    private Partial entityTargets(Work w) {
        Example ex = w.source;
        List<String> notes = new ArrayList<>();
        int words = Math.min(ex.words().size(), settings.maxLen());
        if (ex.words().isEmpty()) {
            notes.add(ex.id() + ": empty text: no entity targets and no candidates (the reference pads it to one [PAD] word)");
        }
        if (words < ex.words().size()) {
            notes.add(ex.id() + ": text of " + ex.words().size() + " words truncated to max_len " + settings.maxLen());
        }
        // sort_entities_and_relations: stable sort by (start, end), relations remapped and sorted by (head, tail)
        Integer[] order = new Integer[w.entities.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.<Integer>comparingInt(i -> w.entities.get(i).start())
                .thenComparingInt(i -> w.entities.get(i).end()));
        int[] oldToNew = new int[order.length];
        List<EntityMention> ents = new ArrayList<>();
        for (int n = 0; n < order.length; n++) {
            oldToNew[order[n]] = n;
            ents.add(w.entities.get(order[n]));
        }
        List<RelationMention> rels = new ArrayList<>();
        for (RelationMention r : w.relations) rels.add(new RelationMention(oldToNew[r.head()], oldToNew[r.tail()], r.label()));
        rels.sort(Comparator.comparingInt(RelationMention::head).thenComparingInt(RelationMention::tail));

        Map<String, Integer> classIndex = index(w.entityLabels);
        int C = w.entityLabels.size();
        int[] entityCandidate = new int[ents.size()];
        java.util.Arrays.fill(entityCandidate, -1);
        float[] targets;
        List<int[]> cands = new ArrayList<>();
        boolean token = settings.head() == EntityHead.TOKEN;
        int K = settings.maxWidth();
        int[] entityFlat = new int[ents.size()];
        java.util.Arrays.fill(entityFlat, -1);
        targets = new float[token ? words * C * 3 : words * K * C];
        for (int i = 0; i < ents.size(); i++) {
            EntityMention e = ents.get(i);
            Integer c = classIndex.get(e.label());
            String what = ex.id() + ": entity " + i + " [" + e.start() + ", " + e.end() + "] '" + e.label() + "'";
            if (c == null) {
                notes.add(what + " has a label outside the label set " + w.entityLabels + ": no target, not a relation candidate");
            } else if (e.end() >= words) {
                notes.add(what + " ends beyond the " + words + " words kept (max_len): no target");
            } else if (token) {
                targets[(e.start() * C + c) * 3] = 1f;
                targets[(e.end() * C + c) * 3 + 1] = 1f;
                for (int t = e.start(); t <= e.end(); t++) targets[(t * C + c) * 3 + 2] = 1f;
                entityCandidate[i] = cands.size();
                cands.add(new int[] {e.start(), e.end()});
            } else if (e.end() - e.start() >= K) {
                notes.add(what + " is wider than max_width " + K + ": no target, not a relation candidate");
            } else {
                int f = e.start() * K + (e.end() - e.start());
                targets[f * C + c] = 1f;
                entityFlat[i] = f;
            }
        }
        if (!token) {
            // candidates = labelled spans in flat order (what the reference's model selects by labels == 1)
            TreeMap<Integer, Integer> flatToCandidate = new TreeMap<>();
            for (int f : entityFlat) if (f >= 0) flatToCandidate.put(f, 0);
            int n = 0;
            for (Map.Entry<Integer, Integer> en : flatToCandidate.entrySet()) {
                en.setValue(n++);
                cands.add(new int[] {en.getKey() / K, en.getKey() / K + en.getKey() % K});
            }
            for (int i = 0; i < ents.size(); i++) if (entityFlat[i] >= 0) entityCandidate[i] = flatToCandidate.get(entityFlat[i]);
        }
        int[] cs = new int[cands.size()], ce = new int[cands.size()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = cands.get(i)[0];
            ce[i] = cands.get(i)[1];
        }
        return new Partial(w, words, ents, rels, targets, cs, ce, entityCandidate, notes);
    }

    private static Map<String, Integer> index(List<String> labels) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) m.put(labels.get(i), i);
        return m;
    }

    // ---------------------------------------------------------------- pairs, adjacency and relation targets

    private ExampleTargets relationTargets(int index, Partial p, boolean hasRelationClasses, RandomGenerator rng) {
        Work w = p.work();
        String id = w.source.id();
        List<String> notes = new ArrayList<>(p.notes());
        Map<String, Integer> relIndex = index(w.relationLabels);
        int R = w.relationLabels.size(), E = p.candStart().length;
        Map<CandidatePair, List<Integer>> positives = new LinkedHashMap<>();
        for (RelationMention r : p.relations()) {
            Integer c = relIndex.get(r.label());
            String what = id + ": relation (" + r.head() + ", " + r.tail() + ") '" + r.label() + "'";
            if (c == null) {
                notes.add(what + " has a label outside the relation label set " + w.relationLabels + ": dropped");
                continue;
            }
            int h = p.entityCandidate()[r.head()], t = p.entityCandidate()[r.tail()];
            if (h < 0 || t < 0) {
                notes.add(what + ": its " + (h < 0 ? "head" : "tail") + " entity is not a relation candidate: dropped");
            } else if (h == t) {
                notes.add(what + ": head and tail are the same candidate span (self-relation): dropped");
            } else {
                List<Integer> classes = positives.computeIfAbsent(new CandidatePair(h, t), k -> new ArrayList<>());
                if (!classes.contains(c)) classes.add(c);
            }
        }
        List<CandidatePair> pairs;
        double u = Double.NaN;
        if (!hasRelationClasses) {
            pairs = List.of();
        } else if (settings.allPairs()) {
            pairs = new ArrayList<>();
            for (int i = 0; i < E; i++) for (int j = 0; j < E; j++) if (i != j) pairs.add(new CandidatePair(i, j));
        } else {
            SampledPairs s = pairSampler.sample(index, E, java.util.Collections.unmodifiableSet(positives.keySet()), rng);
            pairs = s.pairs();
            u = s.negativeRatio();
            check(id, pairs, E, positives.keySet());
        }
        float[] adjacency = null;
        if (!settings.allPairs()) {
            adjacency = new float[E * E];
            for (CandidatePair q : pairs) adjacency[q.head() * E + q.tail()] = 1f;
        }
        float[] rel = new float[pairs.size() * R];
        boolean[] positive = new boolean[pairs.size()];
        for (int n = 0; n < pairs.size(); n++) {
            List<Integer> classes = positives.get(pairs.get(n));
            if (classes == null) continue;
            positive[n] = true;
            for (int c : classes) rel[n * R + c] = 1f;
        }
        return new ExampleTargets(id, p.words(), p.entities(), p.relations(), w.entityLabels, w.relationLabels,
                settings.head() == EntityHead.TOKEN ? 0 : settings.maxWidth(), p.entityTargets(), p.candStart(),
                p.candEnd(), p.entityCandidate(), pairs, positive, adjacency, rel, u, notes);
    }

    private static void check(String id, List<CandidatePair> pairs, int candidates, Set<CandidatePair> positives) {
        CandidatePair prev = null;
        for (CandidatePair q : pairs) {
            if (q.head() == q.tail() || q.head() < 0 || q.tail() < 0 || q.head() >= candidates || q.tail() >= candidates) {
                throw new IllegalArgumentException(id + ": pair " + q + " is not a pair of two of the " + candidates + " candidates");
            }
            if (prev != null && prev.compareTo(q) >= 0) {
                throw new IllegalArgumentException(id + ": pairs are not sorted and distinct at " + prev + ", " + q);
            }
            prev = q;
        }
        for (CandidatePair q : positives) {
            if (java.util.Collections.binarySearch(pairs, q) < 0) {
                throw new IllegalArgumentException(id + ": positive pair " + q + " missing from the pairs " + pairs);
            }
        }
    }
}
