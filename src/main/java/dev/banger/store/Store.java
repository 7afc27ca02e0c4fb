package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.VmState;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The daemon's persistent state: one SQLite file behind a small connection pool, migrated to the
 * latest schema on open. Reach the data through {@link #images()}, {@link #vms()} and
 * {@link #operations()}. Thread-safe: reads run concurrently, mutations are serialised by one
 * write lock held only for the duration of their transaction. Close it once, when the daemon stops.
 */
public final class Store implements AutoCloseable {
    private final Database db;
    private final Migrations migrations;
    private final ImageRepository images;
    private final VmRepository vms;
    private final OperationRepository operations;
    private final SettingsRepository settings;
    private final ShareRepository shares;

    private Store(Database db, Migrations migrations) {
        this.db = db;
        this.migrations = migrations;
        this.images = new ImageRepository(db);
        this.vms = new VmRepository(db);
        this.operations = new OperationRepository(db);
        this.settings = new SettingsRepository(db);
        this.shares = vms.shares();
    }

    /** Opens (creating if needed) and migrates the database at {@code database}, using the system clock. */
    public static Store open(Path database) {
        return open(database, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) and migrates the database at {@code database}. A missing parent
     * directory is created with mode 0700 and a new database file with mode 0600.
     */
    public static Store open(Path database, Clock clock) {
        Path file = database.toAbsolutePath().normalize();
        prepareFile(file);
        Database db = new Database(file, clock);
        try {
            Migrations migrations = new Migrations(db.dataSource());
            migrations.migrate();
            return new Store(db, migrations);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Path path() {
        return db.file();
    }

    public ImageRepository images() {
        return images;
    }

    public VmRepository vms() {
        return vms;
    }

    public OperationRepository operations() {
        return operations;
    }

    public SettingsRepository settings() {
        return settings;
    }

    public ShareRepository shares() {
        return shares;
    }

    /** The applied schema version, e.g. {@code "2"}. */
    public String schemaVersion() {
        return migrations.currentVersion();
    }

    /** Counts of images, VMs by state, and running operations, from one consistent read. */
    public StoreSummary summary() {
        return db.read("read the store summary", c -> {
            String sql = """
                    SELECT 'images' AS what, NULL AS state, count(*) AS n FROM images
                    UNION ALL SELECT 'operations', NULL, count(*) FROM operations WHERE state = 'running'
                    UNION ALL SELECT 'vms', state, count(*) FROM vms GROUP BY state""";
            long images = 0;
            long running = 0;
            Map<VmState, Long> vms = new EnumMap<>(VmState.class);
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                RowReader row = new RowReader(rs, "vms");
                while (rs.next()) {
                    switch (row.text("what")) {
                        case "images" -> images = row.integer("n");
                        case "operations" -> running = row.integer("n");
                        default -> {
                            row.identify("the " + row.integer("n") + " rows with state '" + row.raw("state") + "'");
                            vms.put(row.enumValue("state", VmState.class), row.integer("n"));
                        }
                    }
                }
            }
            return new StoreSummary(images, vms, running);
        });
    }

    /** The pool, for tests of the connection profile. */
    DataSource dataSource() {
        return db.dataSource();
    }

    /** The pool and write lock, for tests that hold a write open. */
    Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }

    private static void prepareFile(Path file) {
        Path parent = file.getParent();
        try {
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException existing) {
                // An existing database keeps its mode.
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new StoreException(ErrorKind.INTERNAL,
                    "cannot create the state database " + file + ": " + e
                            + "; check that the directory is writable (bangerd runs as root) or set BANGER_STATE_DIR", e);
        }
    }
}
