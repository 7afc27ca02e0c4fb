package dev.banger.host.disk;

import java.util.Objects;

/**
 * Picks the cheapest clone strategy for a disk from {@link HostDiskFacts}. Pure and thread-safe.
 *
 * <p>Root disks: a qcow2 overlay when the backend opens qcow2, else a device-mapper snapshot,
 * else a reflink copy, else a sparse copy. The first two keep one shared base file under every
 * VM, so its page cache is shared too, which reflink copies (separate inodes) do not give.
 *
 * <p>Work disks must be grown on the host, which neither a dm snapshot (never larger than its
 * origin) nor a qcow2 overlay (its file system is not reachable without NBD) allows: a reflink
 * copy, else a sparse copy. With {@code allowOverlayForWork} and a qcow2 backend, an overlay
 * replaces the sparse copy; the guest then grows its file system.
 */
public final class CloneStrategyChooser {
    private CloneStrategyChooser() {}

    /** The strategy for {@code role}, never using an overlay for a work disk. */
    public static CloneStrategy choose(HostDiskFacts facts, DiskRole role) {
        return choose(facts, role, false);
    }

    /** The strategy for {@code role}; see the class comment for the order. */
    public static CloneStrategy choose(HostDiskFacts facts, DiskRole role, boolean allowOverlayForWork) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(role, "role");
        return switch (role) {
            case ROOT -> {
                if (facts.qcow2Backend()) {
                    yield CloneStrategy.QCOW2_OVERLAY;
                }
                if (facts.deviceMapper()) {
                    yield CloneStrategy.DM_SNAPSHOT;
                }
                yield facts.reflink() ? CloneStrategy.REFLINK : CloneStrategy.SPARSE_COPY;
            }
            case WORK -> {
                if (facts.reflink()) {
                    yield CloneStrategy.REFLINK;
                }
                yield allowOverlayForWork && facts.qcow2Backend() ? CloneStrategy.QCOW2_OVERLAY : CloneStrategy.SPARSE_COPY;
            }
        };
    }
}
