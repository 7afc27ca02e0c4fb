package dev.banger.store;

import dev.banger.model.ErrorKind;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite failures into {@link StoreException}s with a kind and a message a user can act on:
 * UNIQUE and FOREIGN KEY violations are conflicts naming what clashed; anything else is internal
 * and names the database file. Stateless and thread-safe.
 */
final class SqlErrors {
    private static final Pattern UNIQUE_COLUMNS = Pattern.compile("UNIQUE constraint failed: ([^)\\]]+)");

    /** What a clash on each unique column means, and what to do about it. */
    private static final Map<String, String> UNIQUE_MEANINGS = Map.of(
            "images.name", "an image with that name already exists; choose another name or delete the existing image first",
            "vms.name", "a VM with that name already exists; choose another name or delete the existing VM first",
            "vm_allocations.ip", "that IP address is already allocated to another VM",
            "vm_allocations.mac", "that MAC address is already allocated to another VM",
            "vm_allocations.vsock_cid", "that vsock CID is already allocated to another VM",
            "operations.id", "an operation with that id already exists",
            "vm_shares.vm_id, vm_shares.guest_path", "the VM already has a share at that guest path; remove it first with"
                    + " 'banger vm unshare' or choose another path",
            "operation_stages.operation_id, operation_stages.position", "a stage already holds that position in the operation");

    private SqlErrors() {}

    static StoreException translate(SQLException e, String action, Path database) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            if (isUniqueViolation(code, message)) {
                Matcher m = UNIQUE_COLUMNS.matcher(message);
                String columns = m.find() ? m.group(1).trim() : "a unique column";
                String meaning = UNIQUE_MEANINGS.getOrDefault(columns, "the value of " + columns + " is already used by another row");
                return new StoreException(ErrorKind.CONFLICT,
                        "cannot " + action + ": " + meaning + " (UNIQUE constraint failed: " + columns + ")", e);
            }
            if (isForeignKeyViolation(code, message)) {
                return new StoreException(ErrorKind.CONFLICT,
                        "cannot " + action + ": other rows still refer to it, or it refers to a row that does not exist"
                                + " (FOREIGN KEY constraint failed)", e);
            }
            if (code == SQLiteErrorCode.SQLITE_BUSY || code.name().startsWith("SQLITE_BUSY_")
                    || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return new StoreException(ErrorKind.INTERNAL,
                        "cannot " + action + ": the database " + database + " stayed locked by another connection for longer than "
                                + ConnectionProfile.BUSY_TIMEOUT_MILLIS + " ms; check that no other process (a second bangerd,"
                                + " an open sqlite3 shell) is writing to it", e);
            }
        }
        return new StoreException(ErrorKind.INTERNAL,
                "cannot " + action + ": " + message + " (database " + database + ")", e);
    }

    static boolean isUniqueViolation(SQLiteErrorCode code, String message) {
        return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                || (code.name().startsWith("SQLITE_CONSTRAINT") && message.contains("UNIQUE constraint failed"));
    }

    /**
     * ON DELETE RESTRICT reports its violation as SQLITE_CONSTRAINT_TRIGGER, so any constraint code
     * whose message is SQLite's foreign-key text counts.
     */
    static boolean isForeignKeyViolation(SQLiteErrorCode code, String message) {
        return code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY
                || (code.name().startsWith("SQLITE_CONSTRAINT") && message.contains("FOREIGN KEY constraint failed"));
    }

    static boolean isForeignKeyViolation(SQLException e) {
        return e instanceof SQLiteException sqlite
                && isForeignKeyViolation(sqlite.getResultCode(), String.valueOf(e.getMessage()));
    }
}
