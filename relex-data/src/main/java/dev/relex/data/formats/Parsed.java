package dev.relex.data.formats;

import dev.relex.data.Example;

import java.util.Objects;

/**
 * The outcome of parsing one record: an example (with the dataset's raw labels), or the reason it could not
 * be read, naming the file and record.
 */
public sealed interface Parsed {
    /** Where the record is: file and record number / line. */
    String where();

    record Ok(Example example) implements Parsed {
        public Ok {
            Objects.requireNonNull(example, "example");
        }

        @Override
        public String where() {
            return example.id();
        }
    }

    record Bad(String where, String message) implements Parsed {
        public Bad {
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(message, "message");
        }
    }
}
