package dev.banger.host.disk;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A disk made by {@link DiskCloner}: what the VMM opens, and what {@link DiskCloner#remove}
 * needs to take it apart again. Worth storing with the VM. Immutable value.
 *
 * @param strategy how it was made
 * @param path     what the VMM opens: the clone file, or {@code /dev/mapper/NAME} for a dm snapshot
 * @param format   the layout at {@code path}
 * @param file     the file this clone owns on the host (the copy, the overlay, or the dm
 *                 snapshot's copy-on-write store); never the shared base
 * @param snapshot the device-mapper pieces, present only for {@link CloneStrategy#DM_SNAPSHOT}
 */
public record ClonedDisk(CloneStrategy strategy, Path path, DiskFormat format, Path file, Optional<DmSnapshot> snapshot) {
    public ClonedDisk {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.isPresent() != (strategy == CloneStrategy.DM_SNAPSHOT)) {
            throw new IllegalArgumentException("a dm snapshot's pieces go with the DM_SNAPSHOT strategy only, got " + strategy);
        }
    }

    /**
     * The device-mapper pieces of a {@link CloneStrategy#DM_SNAPSHOT} clone. Immutable value.
     *
     * @param name     the mapper device name; the device is {@code /dev/mapper/NAME}
     * @param baseFile the shared read-only base image
     * @param baseLoop the read-only loop device over {@code baseFile}
     * @param cowFile  the sparse copy-on-write store (persistent: it holds the VM's changes)
     * @param cowLoop  the loop device over {@code cowFile}
     * @param sectors  the snapshot's length in 512-byte sectors (the base's size)
     */
    public record DmSnapshot(String name, Path baseFile, Path baseLoop, Path cowFile, Path cowLoop, long sectors) {
        public DmSnapshot {
            DmSnapshotPlanner.requireValidName(name);
            Objects.requireNonNull(baseFile, "baseFile");
            Objects.requireNonNull(baseLoop, "baseLoop");
            Objects.requireNonNull(cowFile, "cowFile");
            Objects.requireNonNull(cowLoop, "cowLoop");
        }

        public Path device() {
            return DmSnapshotPlanner.MAPPER_DIR.resolve(name);
        }
    }
}
