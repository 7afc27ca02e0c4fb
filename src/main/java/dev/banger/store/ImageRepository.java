package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Registered images, keyed by their unique name. Obtained from {@link Store#images()}.
 * Thread-safe: reads run concurrently; each mutation is one transaction under the store's write lock.
 */
public final class ImageRepository {
    private static final String SELECT = """
            SELECT id, name, distro, kernel_path, initrd_path, modules_path, rootfs_path, work_seed_path,
                   manifest_json, work_seed_fingerprint, status, created_at, managed, is_default
            FROM images""";

    private final Database db;

    ImageRepository(Database db) {
        this.db = db;
    }

    /** Registers a new image; a name already in use is a {@link ErrorKind#CONFLICT}. Returns it as stored. */
    public Image insert(Image image) {
        Objects.requireNonNull(image, "image");
        validate(image);
        return db.write("register image '" + image.name() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO images (name, distro, kernel_path, initrd_path, modules_path, rootfs_path, work_seed_path,
                                        manifest_json, work_seed_fingerprint, status, created_at, managed, is_default)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""")) {
                ps.setString(1, image.name());
                ps.setString(2, image.distro());
                ps.setString(3, text(image.kernel()));
                ps.setString(4, text(image.initrd()));
                ps.setString(5, text(image.modules()));
                ps.setString(6, text(image.rootfs()));
                ps.setString(7, text(image.workSeed()));
                ps.setString(8, image.manifestJson());
                ps.setString(9, image.workSeedFingerprint());
                ps.setString(10, ColumnCodec.enumText(image.status()));
                ps.setString(11, ColumnCodec.timeText(image.createdAt()));
                ps.setInt(12, image.managed() ? 1 : 0);
                ps.executeUpdate();
            }
            return select(c, image.name()).orElseThrow();
        });
    }

    public Optional<Image> find(String name) {
        return db.read("read image '" + name + "'", c -> select(c, name));
    }

    /** The named image, or a {@link ErrorKind#NOT_FOUND} error. */
    public Image get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** All images, ordered by name. */
    public List<Image> list() {
        return db.read("list images", c -> {
            List<Image> images = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    images.add(decode(rs));
                }
            }
            return images;
        });
    }

    public Image updateStatus(String name, ImageStatus status) {
        Objects.requireNonNull(status, "status");
        return update(name, "set the status of image '" + name + "'",
                "UPDATE images SET status = ? WHERE name = ?", ColumnCodec.enumText(status));
    }

    /** The image promoted as default, if any. */
    public Optional<Image> findDefault() {
        return db.read("read the default image", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE is_default = 1"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(decode(rs)) : Optional.empty();
            }
        });
    }

    /**
     * The image {@code vm create} uses when none is named: the promoted one, else the one named
     * {@code configuredDefault} ({@code [image] default}), if either exists.
     */
    public Optional<Image> findDefault(String configuredDefault) {
        return db.read("read the default image", c -> selectDefault(c, configuredDefault));
    }

    /** {@link #findDefault(String)} on any connection, so a read-only one can ask the same. */
    static Optional<Image> selectDefault(Connection c, String configuredDefault) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE is_default = 1"); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return Optional.of(decode(rs));
            }
        }
        return select(c, configuredDefault);
    }

    /** Makes the image the only default and marks it managed, in one transaction. */
    public Image promote(String name) {
        return db.write("promote image '" + name + "'", c -> {
            if (select(c, name).isEmpty()) {
                throw notFound(name);
            }
            try (PreparedStatement clear = c.prepareStatement("UPDATE images SET is_default = 0 WHERE is_default = 1 AND name <> ?");
                 PreparedStatement set = c.prepareStatement("UPDATE images SET is_default = 1, managed = 1 WHERE name = ?")) {
                clear.setString(1, name);
                clear.executeUpdate();
                set.setString(1, name);
                set.executeUpdate();
            }
            return select(c, name).orElseThrow();
        });
    }

    /**
     * Replaces the files, manifest and status of an existing image (a rebuild), keeping its name,
     * managed and default flags, and the VMs that reference it.
     */
    public Image replaceArtifacts(Image rebuilt) {
        Objects.requireNonNull(rebuilt, "rebuilt");
        validate(rebuilt);
        return db.write("record the rebuilt image '" + rebuilt.name() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE images SET distro = ?, kernel_path = ?, initrd_path = ?, modules_path = ?, rootfs_path = ?,
                                      work_seed_path = ?, manifest_json = ?, work_seed_fingerprint = ?, status = ?, created_at = ?
                    WHERE name = ?""")) {
                ps.setString(1, rebuilt.distro());
                ps.setString(2, text(rebuilt.kernel()));
                ps.setString(3, text(rebuilt.initrd()));
                ps.setString(4, text(rebuilt.modules()));
                ps.setString(5, text(rebuilt.rootfs()));
                ps.setString(6, text(rebuilt.workSeed()));
                ps.setString(7, rebuilt.manifestJson());
                ps.setString(8, rebuilt.workSeedFingerprint());
                ps.setString(9, ColumnCodec.enumText(rebuilt.status()));
                ps.setString(10, ColumnCodec.timeText(rebuilt.createdAt()));
                ps.setString(11, rebuilt.name());
                if (ps.executeUpdate() == 0) {
                    throw notFound(rebuilt.name());
                }
            }
            return select(c, rebuilt.name()).orElseThrow();
        });
    }

    /**
     * Records a (re)built work seed, e.g. when an image without one lazily gets it; an image that
     * was waiting for its seed becomes ready, any other status stays.
     */
    public Image updateWorkSeed(String name, Path workSeed, String fingerprint) {
        Objects.requireNonNull(workSeed, "workSeed");
        Objects.requireNonNull(fingerprint, "fingerprint");
        requireAbsolute(name, "work seed", workSeed);
        return update(name, "record the work seed of image '" + name + "'",
                "UPDATE images SET work_seed_path = ?, work_seed_fingerprint = ?,"
                        + " status = CASE status WHEN ? THEN ? ELSE status END WHERE name = ?",
                text(workSeed), fingerprint, ColumnCodec.enumText(ImageStatus.NEEDS_WORK_SEED),
                ColumnCodec.enumText(ImageStatus.READY));
    }

    /**
     * Unregisters the image; returns false when there was none. An image that VMs still use is a
     * {@link ErrorKind#CONFLICT} naming those VMs (the foreign key from {@code vms} forbids it).
     */
    public boolean delete(String name) {
        String action = "delete image '" + name + "'";
        return db.write(action, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            } catch (SQLException e) {
                if (SqlErrors.isForeignKeyViolation(e)) {
                    throw new StoreException(ErrorKind.CONFLICT, "cannot " + action + ": it is still used by VM(s) "
                            + usersOf(c, name).stream().map(vm -> "'" + vm + "'").collect(java.util.stream.Collectors.joining(", ")) + "; delete those VMs first", e);
                }
                throw e;
            }
        });
    }

    private Image update(String name, String action, String sql, String... values) {
        return db.write(action, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    ps.setString(i + 1, values[i]);
                }
                ps.setString(values.length + 1, name);
                if (ps.executeUpdate() == 0) {
                    throw notFound(name);
                }
            }
            return select(c, name).orElseThrow();
        });
    }

    /** Names of the VMs made from the image, sorted. */
    public List<String> users(String name) {
        return db.read("list the VMs of image '" + name + "'",
                c -> usersOf(c, name));
    }

    private static List<String> usersOf(Connection c, String image) throws SQLException {
        List<String> users = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT v.name FROM vms v JOIN images i ON i.id = v.image_id WHERE i.name = ? ORDER BY v.name")) {
            ps.setString(1, image);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                }
            }
        }
        return users;
    }

    private static Optional<Image> select(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(decode(rs)) : Optional.empty();
            }
        }
    }

    private static Image decode(ResultSet rs) throws SQLException {
        RowReader row = new RowReader(rs, "images");
        row.identify("id " + row.raw("id") + ", name '" + row.raw("name") + "'");
        return new Image(
                row.text("name"),
                row.text("distro"),
                row.path("kernel_path"),
                row.optionalPath("initrd_path"),
                row.optionalPath("modules_path"),
                row.path("rootfs_path"),
                row.optionalPath("work_seed_path"),
                row.text("manifest_json"),
                row.optionalText("work_seed_fingerprint"),
                row.enumValue("status", ImageStatus.class),
                row.instant("created_at"),
                row.integer("managed") != 0,
                row.integer("is_default") != 0);
    }

    private static void validate(Image image) {
        if (image.name().isBlank()) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT, "an image name must not be blank");
        }
        requireAbsolute(image.name(), "kernel", image.kernel());
        requireAbsolute(image.name(), "initrd", image.initrd());
        requireAbsolute(image.name(), "modules", image.modules());
        requireAbsolute(image.name(), "rootfs", image.rootfs());
        requireAbsolute(image.name(), "work seed", image.workSeed());
    }

    /** Stored paths are absolute so that they mean the same thing whatever the daemon's working directory. */
    private static void requireAbsolute(String image, String what, Path path) {
        if (path != null && !path.isAbsolute()) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT,
                    "the " + what + " path of image '" + image + "' must be absolute, got '" + path + "'");
        }
    }

    private static String text(Path path) {
        return path == null ? null : path.toString();
    }

    static StoreException notFound(String name) {
        return new StoreException(ErrorKind.NOT_FOUND,
                "image '" + name + "' not found; list images with 'banger image list' or build one with 'banger image build'");
    }
}
