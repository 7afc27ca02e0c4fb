package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.Ipv4Subnet;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Strict decoding of the current row of a result set. SQLite accepts any value in any column and
 * the JDBC getters silently turn text into 0, so every getter here checks the stored type and
 * reports a bad value as a corrupt row naming table, row and column. Not thread-safe; one per
 * result set.
 */
final class RowReader {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private final ResultSet rs;
    private final String table;
    private final Map<String, String> columnTables = new HashMap<>();
    private String row = "unidentified row";
    private String labelPrefix = "";

    RowReader(ResultSet rs, String table) {
        this.rs = rs;
        this.table = table;
    }

    /** Declares that these result columns come from another (joined) table, for error messages. */
    RowReader columnsFrom(String otherTable, String... columns) {
        for (String column : columns) {
            columnTables.put(column, otherTable);
        }
        return this;
    }

    /** Declares that result labels carry this prefix over the table's column names (e.g. {@code stage_state}). */
    RowReader labelPrefix(String prefix) {
        labelPrefix = prefix;
        return this;
    }

    /** Names the current row in errors, e.g. {@code "id 3, name 'dev1'"}. */
    void identify(String description) {
        row = description;
    }

    /** The raw value as text for identifying a row; never fails. */
    String raw(String column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? "NULL" : value.toString();
    }

    String text(String column) throws SQLException {
        String value = optionalText(column);
        if (value == null) {
            throw corrupt(column, "is NULL but a value is required");
        }
        return value;
    }

    String optionalText(String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw corrupt(column, "holds " + describe(value) + " where text is expected");
        }
        return text;
    }

    long integer(String column) throws SQLException {
        Long value = optionalInteger(column);
        if (value == null) {
            throw corrupt(column, "is NULL but a number is required");
        }
        return value;
    }

    Long optionalInteger(String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Long l) {
            return l;
        }
        throw corrupt(column, "holds " + describe(value) + " where a whole number is expected");
    }

    int positiveInt(String column) throws SQLException {
        long value = integer(column);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw corrupt(column, "holds " + value + " where a positive number is expected");
        }
        return (int) value;
    }

    long positiveLong(String column) throws SQLException {
        long value = integer(column);
        if (value < 1) {
            throw corrupt(column, "holds " + value + " where a positive number is expected");
        }
        return value;
    }

    <E extends Enum<E>> E enumValue(String column, Class<E> type) throws SQLException {
        String value = text(column);
        for (E constant : type.getEnumConstants()) {
            if (ColumnCodec.enumText(constant).equals(value)) {
                return constant;
            }
        }
        String expected = Arrays.stream(type.getEnumConstants())
                .map(ColumnCodec::enumText)
                .collect(Collectors.joining(", "));
        throw corrupt(column, "holds unknown value '" + value + "' (expected one of " + expected + ")");
    }

    Instant instant(String column) throws SQLException {
        Instant value = optionalInstant(column);
        if (value == null) {
            throw corrupt(column, "is NULL but a time is required");
        }
        return value;
    }

    Instant optionalInstant(String column) throws SQLException {
        String value = optionalText(column);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw corrupt(column, "holds '" + value + "' where a UTC ISO-8601 time is expected");
        }
    }

    Path path(String column) throws SQLException {
        Path value = optionalPath(column);
        if (value == null) {
            throw corrupt(column, "is NULL but a path is required");
        }
        return value;
    }

    Path optionalPath(String column) throws SQLException {
        String value = optionalText(column);
        if (value == null) {
            return null;
        }
        try {
            Path path = Path.of(value);
            if (!path.isAbsolute()) {
                throw corrupt(column, "holds '" + value + "' where an absolute path is expected");
            }
            return path;
        } catch (InvalidPathException e) {
            throw corrupt(column, "holds '" + value + "' which is not a valid path");
        }
    }

    /** A dotted-quad IPv4 address, returned as the canonical text. */
    String ipv4(String column) throws SQLException {
        String value = text(column);
        try {
            return Ipv4Subnet.formatAddress(Ipv4Subnet.parseAddress(value));
        } catch (IllegalArgumentException e) {
            throw corrupt(column, "holds '" + value + "', which is not a dotted-quad IPv4 address");
        }
    }

    String mac(String column) throws SQLException {
        String value = text(column);
        if (!MAC.matcher(value).matches()) {
            throw corrupt(column, "holds '" + value + "' where a lower-case MAC address such as 02:bf:ac:1e:00:02 is expected");
        }
        return value;
    }

    StoreException corrupt(String column, String problem) {
        String owner = columnTables.getOrDefault(column, table);
        String name = column.startsWith(labelPrefix) ? column.substring(labelPrefix.length()) : column;
        return new StoreException(ErrorKind.INTERNAL,
                "corrupt row in table '" + owner + "' (" + row + "): column '" + name + "' " + problem
                        + ". The database was changed outside banger or by a newer version;"
                        + " fix the row with sqlite3, or restore the state directory from a backup.");
    }

    private static String describe(Object value) {
        return switch (value) {
            case String s -> "text '" + s + "'";
            case Double d -> "the real number " + d;
            case byte[] b -> "a " + b.length + "-byte blob";
            default -> value.getClass().getSimpleName() + " " + value;
        };
    }
}
