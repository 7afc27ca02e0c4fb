package dev.banger.host.disk;


/** How a VM disk is made from its base image; {@link CloneStrategyChooser} picks one per disk. */
public enum CloneStrategy {
    /**
     * A device-mapper {@code snapshot} of a read-only loop device of the base, with a sparse
     * copy-on-write file on a second loop device. Instant, raw, shares the base's page cache; the
     * clone cannot be larger than the base and needs re-activation after a host reboot.
     */
    DM_SNAPSHOT(DiskFormat.RAW),
    /** {@code cp --reflink=always}: an instant, independent raw copy on XFS or Btrfs. */
    REFLINK(DiskFormat.RAW),
    /** A qcow2 file whose backing file is the base: instant, but only QEMU can open it. */
    QCOW2_OVERLAY(DiskFormat.QCOW2),
    /** {@code cp --sparse=always}: works everywhere, costs a read of the base and a write of its data. */
    SPARSE_COPY(DiskFormat.RAW);

    private final DiskFormat format;

    CloneStrategy(DiskFormat format) {
        this.format = format;
    }

    /** The layout the VMM sees. */
    public DiskFormat format() {
        return format;
    }

    /**
     * Whether {@link Ext4Tool#grow} can grow the clone's file system on the host. A qcow2 overlay's
     * file system is grown by the guest; a dm snapshot cannot outgrow its base.
     */
    public boolean growableOnHost() {
        return this == REFLINK || this == SPARSE_COPY;
    }
}
