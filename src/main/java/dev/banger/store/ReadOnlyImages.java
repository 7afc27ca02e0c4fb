package dev.banger.store;

import dev.banger.model.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Images read from the database file without the daemon's {@link Store}: opened read-only, never
 * created or migrated, for {@code banger doctor} when no daemon runs (it must not change the state
 * it is diagnosing). Each call opens and closes its own connection; thread-safe.
 */
public final class ReadOnlyImages {
    private ReadOnlyImages() {}

    /**
     * The default image as {@link ImageRepository#findDefault(String)} chooses it; empty when the
     * database does not exist yet (no daemon ever ran here, so no image either).
     *
     * @throws StoreException when the file exists but cannot be read (permissions, corruption, a
     *                        schema older than this banger's)
     */
    public static Optional<Image> findDefault(Path database, String configuredDefault) {
        if (!Files.exists(database)) {
            return Optional.empty();
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.setBusyTimeout(ConnectionProfile.BUSY_TIMEOUT_MILLIS);
        try (Connection c = config.createConnection("jdbc:sqlite:" + database)) {
            return ImageRepository.selectDefault(c, configuredDefault);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read the default image (read-only)", database);
        }
    }
}
