package dev.banger.vm.snapshot;

import dev.banger.host.disk.DiskFormat;
import dev.banger.model.ImageSnapshot;
import dev.banger.vm.state.VmFiles;
import dev.banger.vmm.SnapshotFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One golden snapshot on disk: a directory under its image's {@code snapshots/} holding the saved
 * machine ({@link #files}), the disk overlays it ran on, frozen read-only as the base of every VM
 * restored from it, its config drive, and {@value GoldenSnapshots#META_FILE}. Immutable value.
 *
 * @param dir  the snapshot's directory
 * @param meta what was recorded when it was saved
 */
public record GoldenSnapshot(Path dir, SnapshotMeta meta) {
    static final String STATE_FILE = "state";
    static final String MEMORY_FILE = "memory";
    static final String CONFIG_FILE = "config.img";

    public GoldenSnapshot {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(meta, "meta");
    }

    public SnapshotShape shape() {
        return meta.shape();
    }

    /** The saved machine, as the backend wrote it. */
    public SnapshotFiles files() {
        return new SnapshotFiles(dir.resolve(STATE_FILE), meta.separateMemory() ? Optional.of(dir.resolve(MEMORY_FILE)) : Optional.empty());
    }

    /** The frozen root disk, the base of a restored VM's root disk. */
    public Path rootDisk() {
        return dir.resolve(VmFiles.rootDiskName(meta.diskFormat()));
    }

    /** The frozen work disk, the base of a restored VM's {@code /root}. */
    public Path workDisk() {
        return dir.resolve(VmFiles.workDiskName(meta.diskFormat()));
    }

    /** Whether it was retired (or its directory removed) since it was read: no more restores from it. */
    public boolean retired() {
        return Files.exists(dir.resolve(GoldenSnapshots.RETIRED)) || !Files.exists(dir.resolve(GoldenSnapshots.META_FILE));
    }

    public DiskFormat diskFormat() {
        return meta.diskFormat();
    }

    /** How {@code image.show} lists it. */
    public ImageSnapshot view(long sizeBytes, long restores) {
        SnapshotShape shape = meta.shape();
        return new ImageSnapshot(shape.backend(), shape.vcpus(), shape.memoryMib(), shape.kernel(), shape.bootArgs(),
                shape.agentVersion(), shape.bangerVersion(), meta.fingerprint(), sizeBytes, meta.createdAt(), restores);
    }

    /** When it was saved. */
    public Instant createdAt() {
        return meta.createdAt();
    }

    @Override
    public String toString() {
        return "snapshot " + dir.getFileName() + " of " + meta.shape();
    }
}
