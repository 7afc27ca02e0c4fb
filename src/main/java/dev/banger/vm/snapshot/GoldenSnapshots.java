package dev.banger.vm.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.host.DiskUsage;
import dev.banger.host.HostCommands;
import dev.banger.model.Image;
import dev.banger.model.ImageSnapshot;
import dev.banger.store.StoredJson;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The golden snapshots on disk, under each image's directory ({@code snapshots/<shape key>-<millis>/}).
 * A snapshot is active while it has {@value #META_FILE} and no {@value #RETIRED} marker. Retiring
 * one (deleted by the user, made stale by a new agent or banger, replaced by a newer one of its
 * shape) only marks it: VMs restored from it have disk overlays whose base is its frozen disks, so
 * its directory is removed by {@link #collect} once no VM uses it. A rebuilt or deleted image takes
 * its directory, snapshots and all (both are refused while VMs use the image). Thread-safe: the
 * directory is the state; concurrent makers of one shape are kept apart by the caller.
 */
public final class GoldenSnapshots {
    static final String META_FILE = "snapshot.json";
    static final String RETIRED = "retired";
    private static final String RESTORES = "restores";
    private static final String NEW_PREFIX = ".new-";
    private static final Logger LOG = LoggerFactory.getLogger(GoldenSnapshots.class);

    private final HostCommands commands;
    private final LongSupplier millis;
    private final AtomicLong stamps = new AtomicLong();

    /** @param commands runs {@code du}, for the bytes a snapshot holds */
    public GoldenSnapshots(HostCommands commands) {
        this(commands, System::currentTimeMillis);
    }

    /** @param millis the clock that stamps new snapshots' directories */
    GoldenSnapshots(HostCommands commands, LongSupplier millis) {
        this.commands = commands;
        this.millis = millis;
    }

    /** Where {@code image}'s snapshots live: beside its files. */
    public static Path root(Image image) {
        return image.rootfs().toAbsolutePath().getParent().resolve("snapshots");
    }

    /** The active snapshot of {@code shape} for the image as it is now (same work-seed fingerprint), if any. */
    public Optional<GoldenSnapshot> find(Image image, SnapshotShape shape) {
        return active(image).stream()
                .filter(s -> s.shape().equals(shape) && s.meta().fingerprint().equals(fingerprint(image)))
                .max(Comparator.comparing(GoldenSnapshot::createdAt));
    }

    /** The image's active snapshots, newest first. */
    public List<GoldenSnapshot> active(Image image) {
        return read(root(image)).stream().filter(s -> !Files.exists(s.dir().resolve(RETIRED)))
                .sorted(Comparator.comparing(GoldenSnapshot::createdAt).reversed()).toList();
    }

    /** The fingerprint a snapshot of {@code image} records: its work seed's, which a rebuild or re-seed changes. */
    public static String fingerprint(Image image) {
        return image.workSeedFingerprint() == null ? "none" : image.workSeedFingerprint();
    }

    /** How {@code image.show} lists a snapshot: bytes on disk and restores served. */
    public ImageSnapshot view(GoldenSnapshot snapshot) {
        return snapshot.view(bytesOnDisk(snapshot.dir()), restores(snapshot));
    }

    /** A new, empty, private directory for a snapshot of {@code shape} being made; {@link #commit} names it. */
    public Path newDir(Image image, SnapshotShape shape) {
        // Strictly increasing, so two snapshots of a shape made within one millisecond never share a name.
        long stamp = stamps.updateAndGet(last -> Math.max(last + 1, millis.getAsLong()));
        Path dir = root(image).resolve(NEW_PREFIX + shape.key() + "-" + stamp);
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return dir;
        } catch (IOException e) {
            throw VmException.failed("cannot make the snapshot directory " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Records {@code meta} in a directory from {@link #newDir} holding the saved machine and its
     * frozen disks, and makes it the active snapshot of its shape (an older one is retired).
     */
    public GoldenSnapshot commit(Path newDir, SnapshotMeta meta) {
        Path dir = newDir.resolveSibling(newDir.getFileName().toString().substring(NEW_PREFIX.length()));
        try {
            Path tmp = newDir.resolve(META_FILE + ".tmp");
            Files.writeString(tmp, StoredJson.mapper().writeValueAsString(meta), StandardCharsets.UTF_8);
            Files.move(tmp, newDir.resolve(META_FILE), StandardCopyOption.ATOMIC_MOVE);
            Files.move(newDir, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw VmException.failed("cannot record the snapshot in " + newDir + ": " + e.getMessage());
        }
        GoldenSnapshot made = new GoldenSnapshot(dir, meta);
        for (GoldenSnapshot older : read(dir.getParent())) {
            if (!older.dir().equals(dir) && older.shape().equals(meta.shape())) {
                retire(older);
            }
        }
        return made;
    }

    /** Takes a snapshot out of use; its files go once no VM uses them ({@link #collect}). */
    public void retire(GoldenSnapshot snapshot) {
        try {
            Files.writeString(snapshot.dir().resolve(RETIRED), "");
            LOG.info("{} retired", snapshot);
        } catch (IOException e) {
            throw VmException.failed("cannot retire " + snapshot + ": " + e.getMessage());
        }
    }

    /** Retires the image's active snapshots that {@code which} accepts; returns them. */
    public List<GoldenSnapshot> retire(Image image, Predicate<GoldenSnapshot> which) {
        List<GoldenSnapshot> retired = active(image).stream().filter(which).toList();
        retired.forEach(this::retire);
        return retired;
    }

    /** Counts a restore it served. Best effort: a lost count never fails a create. */
    public void restored(GoldenSnapshot snapshot) {
        Path file = snapshot.dir().resolve(RESTORES);
        synchronized (this) {
            try {
                Files.writeString(file, Long.toString(restores(snapshot) + 1));
            } catch (IOException e) {
                LOG.warn("cannot count a restore of {}: {}", snapshot, e.toString());
            }
        }
    }

    /**
     * Removes the directories of retired snapshots no VM uses ({@code inUse}: the snapshot
     * directories VMs were restored from) and what an interrupted maker left; returns how many.
     */
    public int collect(Image image, Set<Path> inUse) {
        Path root = root(image);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                boolean leftover = dir.getFileName().toString().startsWith(NEW_PREFIX);
                boolean unusedRetired = (Files.exists(dir.resolve(RETIRED)) || !Files.exists(dir.resolve(META_FILE)))
                        && !inUse.contains(dir.toAbsolutePath().normalize());
                if (leftover || unusedRetired) {
                    VmFiles.deleteTree(dir);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clear the retired snapshots in {}: {}", root, e.toString());
        }
        return removed;
    }

    /** Removes an unfinished snapshot directory from {@link #newDir}. */
    public void abandon(Path newDir) {
        VmFiles.deleteTree(newDir);
    }

    private long restores(GoldenSnapshot snapshot) {
        try {
            return Long.parseLong(Files.readString(snapshot.dir().resolve(RESTORES)).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static List<GoldenSnapshot> read(Path root) {
        List<GoldenSnapshot> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path dir : dirs) {
                Path meta = dir.resolve(META_FILE);
                if (Files.isRegularFile(meta)) {
                    try {
                        found.add(new GoldenSnapshot(dir.toAbsolutePath().normalize(),
                                StoredJson.mapper().readValue(Files.readString(meta), SnapshotMeta.class)));
                    } catch (JsonProcessingException | RuntimeException e) {
                        LOG.warn("snapshot {} is unreadable ({}); it is not used", dir, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the snapshots in {}: {}", root, e.toString());
        }
        return found;
    }

    /** The snapshot's allocated bytes: its memory file is as long as the guest's memory but holds only what the guest used. */
    private long bytesOnDisk(Path dir) {
        try {
            return DiskUsage.allocatedBytes(commands, List.of(dir));
        } catch (RuntimeException e) {
            LOG.warn("cannot measure the snapshot in {}: {}", dir, e.getMessage());
            return 0;
        }
    }
}
