package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

class ConnectionProfileTest {
    @TempDir
    Path dir;

    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void everyPooledConnectionHeldAtOnceHasTheFullProfile() throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < Database.POOL_SIZE; i++) {
                held.add(store.dataSource().getConnection());
            }
            assertThat(distinctPhysicalConnections(held)).isEqualTo(Database.POOL_SIZE);
            for (Connection c : held) {
                assertThat(pragmas(c)).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "journal_mode", "wal",
                        "busy_timeout", String.valueOf(ConnectionProfile.BUSY_TIMEOUT_MILLIS),
                        "foreign_keys", "1",
                        "synchronous", "1")); // 1 = NORMAL
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void replacementConnectionsGetTheProfileToo() throws SQLException {
        Connection before;
        try (Connection c = store.dataSource().getConnection()) {
            before = c.unwrap(SQLiteConnection.class);
        }
        // Retire every connection so the pool must open fresh ones.
        ((HikariDataSource) store.dataSource()).getHikariPoolMXBean().softEvictConnections();

        try (Connection c = store.dataSource().getConnection()) {
            assertThat(c.unwrap(SQLiteConnection.class)).isNotSameAs(before);
            assertThat(pragmas(c)).containsEntry("foreign_keys", "1").containsEntry("journal_mode", "wal")
                    .containsEntry("synchronous", "1")
                    .containsEntry("busy_timeout", String.valueOf(ConnectionProfile.BUSY_TIMEOUT_MILLIS));
        }
    }

    private static int distinctPhysicalConnections(List<Connection> held) throws SQLException {
        Set<SQLiteConnection> physical = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Connection c : held) {
            physical.add(c.unwrap(SQLiteConnection.class));
        }
        return physical.size();
    }

    private static Map<String, String> pragmas(Connection c) throws SQLException {
        Map<String, String> values = new java.util.HashMap<>();
        try (Statement st = c.createStatement()) {
            for (String pragma : List.of("journal_mode", "busy_timeout", "foreign_keys", "synchronous")) {
                try (ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
                    assertThat(rs.next()).as("PRAGMA %s returns a row", pragma).isTrue();
                    values.put(pragma, rs.getString(1));
                }
            }
        }
        return values;
    }
}
