package dev.relex.data.formats;

import dev.relex.data.Example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Counts of one read: records, good examples, bad records (with their messages), entities, relations. */
final class Tally {
    int records;
    int ok;
    int entities;
    int relations;
    final List<Parsed.Bad> bad = new ArrayList<>();
    final List<Parsed.Note> notes = new ArrayList<>();
    final List<Parsed.Excluded> excluded = new ArrayList<>();
    final List<Example> examples = new ArrayList<>();

    static Tally of(ParsedReader reader, Path file) {
        try {
            return of(reader.parse(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Notes of one reason. */
    long notes(String reason) {
        return notes.stream().filter(n -> n.reason().equals(reason)).count();
    }

    static Tally of(Stream<Parsed> parsed) {
        Tally t = new Tally();
        try (parsed) {
            parsed.forEach(t::add);
        }
        return t;
    }

    void add(Parsed p) {
        records++;
        switch (p) {
            case Parsed.Ok o -> {
                ok++;
                entities += o.example().entities().size();
                relations += o.example().relations().size();
                examples.add(o.example());
                notes.addAll(o.notes());
            }
            case Parsed.Bad b -> bad.add(b);
            case Parsed.Excluded x -> excluded.add(x);
        }
    }

    @Override
    public String toString() {
        return "records=" + records + " ok=" + ok + " bad=" + bad.size() + " entities=" + entities + " relations=" + relations
                + " notes=" + notes.size();
    }
}
