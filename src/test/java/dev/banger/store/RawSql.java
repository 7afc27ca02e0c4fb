package dev.banger.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Writes to a database file behind the store's back, the way an outside tool would. */
final class RawSql {
    private RawSql() {}

    static void exec(Path database, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            for (String sql : statements) {
                s.executeUpdate(sql);
            }
        }
    }
}
