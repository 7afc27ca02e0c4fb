package dev.banger.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Daemon-wide values that must survive a restart (for example the handles of the NAT rules the
 * daemon installed), keyed by name; values are opaque text, normally JSON. Obtained from
 * {@link Store#settings()}. Thread-safe.
 */
public final class SettingsRepository {
    private final Database db;

    SettingsRepository(Database db) {
        this.db = db;
    }

    public Optional<String> get(String key) {
        return db.read("read setting '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM daemon_settings WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public void put(String key, String value) {
        Objects.requireNonNull(value, "value");
        db.write("store setting '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO daemon_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void remove(String key) {
        db.write("remove setting '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM daemon_settings WHERE key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
