package dev.relex.cli;

import dev.relex.OffsetUnit;
import picocli.CommandLine;

import java.util.Locale;

/** Parses {@code --offsets}: {@code utf16} (Java string indices) or {@code codepoints} (Python's). */
final class OffsetUnitConverter implements CommandLine.ITypeConverter<OffsetUnit> {
    @Override
    public OffsetUnit convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "utf16" -> OffsetUnit.UTF16;
            case "codepoints", "codepoint", "cp" -> OffsetUnit.CODE_POINTS;
            default -> throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an offset unit; use utf16 or codepoints");
        };
    }
}
