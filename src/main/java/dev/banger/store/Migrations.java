package dev.banger.store;

import dev.banger.model.ErrorKind;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Versioned schema migrations ({@code classpath:db/migration}, Flyway). Runs once when the store
 * opens, before any other use. Thread-safe as far as Flyway is; the store calls it from one thread.
 */
final class Migrations {
    static final String LOCATION = "classpath:db/migration";

    private final Flyway flyway;

    Migrations(DataSource dataSource) {
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load();
    }

    void migrate() {
        try {
            refuseNewerSchema();
            flyway.migrate();
        } catch (FlywayException e) {
            throw new StoreException(ErrorKind.INTERNAL,
                    "cannot migrate the state database to schema version " + latestVersion() + ": " + e.getMessage()
                            + ". If it was written by a newer banger, upgrade banger; otherwise restore the state directory"
                            + " from a backup", e);
        }
    }

    /**
     * Flyway by default ignores applied migrations it does not know ("future" ones) and carries
     * on; an older banger must not read or write a schema it does not understand.
     */
    private void refuseNewerSchema() {
        for (MigrationInfo applied : flyway.info().applied()) {
            MigrationState state = applied.getState();
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                throw new StoreException(ErrorKind.PRECONDITION_FAILED,
                        "the state database is at schema version " + applied.getVersion()
                                + " but this banger knows only up to version " + latestVersion()
                                + "; it was written by a newer banger: upgrade banger (the database was left unchanged)");
            }
        }
    }

    /** The applied schema version, e.g. {@code "2"}, or {@code "0"} for an empty database. */
    String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? "0" : current.getVersion().getVersion();
    }

    /** The newest version this banger ships, ignoring applied versions it does not know. */
    private String latestVersion() {
        try {
            String latest = "?";
            for (MigrationInfo info : flyway.info().all()) {
                if (info.getVersion() != null && info.getState().isResolved()) {
                    latest = info.getVersion().getVersion();
                }
            }
            return latest;
        } catch (FlywayException e) {
            return "?";
        }
    }
}
