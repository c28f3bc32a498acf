package dev.relex.data.formats;

import dev.relex.data.Example;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of parsing one record of a dataset file, before label mapping: an example with the dataset's own
 * labels (and the annotations left out of it or changed, each reported), or the reason the record cannot be read.
 * {@link ParsedReader} maps the labels and reports both kinds to the {@link dev.relex.data.ReadReport}.
 */
public sealed interface Parsed {
    /** The file the record is in. */
    String file();

    /** Where in the file: a line number for line-based formats, else the 1-based record position. */
    long record();

    /** A good record, with raw dataset labels. */
    record Ok(String file, long record, Example example, List<Note> notes) implements Parsed {
        public Ok {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(example, "example");
            notes = List.copyOf(notes);
        }

        public Ok(String file, long record, Example example) {
            this(file, record, example, List.of());
        }
    }

    /** A record that cannot be read. */
    record Bad(String file, long record, String message) implements Parsed {
        public Bad {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A good record left out on purpose (a sentence that also occurs in a held-out evaluation set). Reported as
     * an adjustment with this reason, never as an error, so it does not stop a read under the FAIL policy.
     */
    record Excluded(String file, long record, String reason) implements Parsed {
        public Excluded {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What was left out of (or changed in) a good record. */
    enum NoteKind { ENTITY_DROPPED, RELATION_DROPPED, ADJUSTED }

    /**
     * One annotation left out of, or changed in, a good record.
     *
     * @param reason short reason (the report counts by it), e.g. "entity not on word boundaries"
     * @param detail the annotation and where it is
     */
    record Note(NoteKind kind, String reason, String detail) {
        public Note {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
