package dev.banger.vm.snapshot;

import dev.banger.host.disk.DiskFormat;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@value GoldenSnapshots#META_FILE} records of a golden snapshot: enough to tell whether a
 * create may restore it and to build a machine identical to the saved one. Immutable value.
 *
 * @param shape          what it was made for
 * @param fingerprint    the image's work-seed fingerprint then; a changed image never restores it
 * @param createdAt      when it was saved
 * @param mac            the NIC address the saved guest was started with (restored machines get the same
 *                       device, and their guests take their own address before their TAP joins the bridge)
 * @param diskFormat     how the frozen disks are laid out (qcow2 for backends that open it)
 * @param workBytes      the frozen work disk's size; a restored VM's is grown from it
 * @param separateMemory whether the backend wrote the memory apart from the state
 */
public record SnapshotMeta(SnapshotShape shape, String fingerprint, Instant createdAt, String mac, DiskFormat diskFormat,
        long workBytes, boolean separateMemory) {
    public SnapshotMeta {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(diskFormat, "diskFormat");
    }
}
