package dev.banger.store;

import dev.banger.model.WireNames;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * How values are written as column text: enums by their lower-case hyphenated name, instants as
 * fixed-width UTC ISO-8601 with milliseconds (so text order is time order). Decoding lives in
 * {@link RowReader}, which reports bad values with row context. Stateless and thread-safe.
 */
final class ColumnCodec {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ColumnCodec() {}

    static String enumText(Enum<?> value) {
        return WireNames.of(value);
    }

    static String timeText(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    /** The instant as it will read back: stored times keep milliseconds only. */
    static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
