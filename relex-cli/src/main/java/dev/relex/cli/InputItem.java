package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.ExtractionRequest;

/**
 * One input after parsing: either a request ready for the model or the reason it cannot be run.
 * {@code line} is the 1-based line number in the input file (or the position among TEXT arguments);
 * {@code id} is the caller's optional {@code "id"} value, echoed in the output (null if absent).
 */
sealed interface InputItem {
    int line();

    JsonNode id();

    record Request(int line, JsonNode id, ExtractionRequest request) implements InputItem {}

    record Failure(int line, JsonNode id, String error) implements InputItem {}
}
