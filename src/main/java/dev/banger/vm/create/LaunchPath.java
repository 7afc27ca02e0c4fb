package dev.banger.vm.create;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.warm.WarmShape;

/**
 * How a planned create gets its running machine. Decided by {@link CreatePlanner}, carried out by
 * the create's stages; each way in is one record here and its case in the stages that switch on it.
 * Immutable values.
 */
public sealed interface LaunchPath permits LaunchPath.ColdBoot, LaunchPath.WarmMachine, LaunchPath.Restore {

    /** How the work disk is made. */
    public sealed interface WorkDisk permits CloneSeed, FromRootfs {}

    /**
     * The image's work seed cloned with {@code strategy}; with {@code guestGrows} the clone just gets
     * the asked size and the guest grows {@code /root} at boot, else the host grows the file system.
     */
    public record CloneSeed(CloneStrategy strategy, boolean guestGrows) implements WorkDisk {}

    /** {@code /root} copied out of the rootfs into a new file system, grown on the host (the slow path). */
    record FromRootfs() implements WorkDisk {}

    /** A VMM started for this VM on disks cloned for it. */
    public record ColdBoot(CloneStrategy rootDisk, WorkDisk workDisk, TapSource tap) implements LaunchPath {
        /**
         * The benchmark's slow path: a full copy of the root disk, {@code /root} built from the
         * rootfs, a TAP of its own — what the fast paths save, measured on the same host.
         */
        static ColdBoot slowPath() {
            return new ColdBoot(CloneStrategy.SPARSE_COPY, new FromRootfs(), TapSource.DEDICATED);
        }
    }

    /**
     * A paused machine of {@code shape} from the warm pool becomes the VM; when none waits at
     * allocate, the create boots {@code otherwise}.
     */
    record WarmMachine(WarmShape shape, ColdBoot otherwise) implements LaunchPath {}

    /**
     * A golden snapshot of the plan's shape loaded instead of a boot, on disks cloned from its frozen
     * ones ({@code disks}: a qcow2 overlay where the backend opens qcow2, else a clone of the file),
     * the guest then given this VM's identity; when the snapshot does not load, it is retired and
     * the create boots {@code otherwise}. With {@code warm} (a backend that adopts paused machines), a
     * warm machine that waits with the snapshot loaded becomes the VM when one does.
     */
    record Restore(GoldenSnapshot snapshot, CloneStrategy rootDisk, CloneStrategy workDisk, ColdBoot otherwise, WarmShape warm)
            implements LaunchPath {
        Restore(GoldenSnapshot snapshot, CloneStrategy rootDisk, CloneStrategy workDisk, ColdBoot otherwise) {
            this(snapshot, rootDisk, workDisk, otherwise, null);
        }
    }
}
