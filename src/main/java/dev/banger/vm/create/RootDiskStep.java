package dev.banger.vm.create;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.state.VmFiles;
import java.nio.file.Path;

/**
 * The root-disk stage: the image's rootfs cloned by the plan's strategy, or a snapshot's frozen root
 * disk (a warm machine has its own already).
 */
final class RootDiskStep implements CreateStep {
    private final VmDisks disks;

    RootDiskStep(VmDisks disks) {
        this.disks = disks;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.ROOT_DISK;
    }

    @Override
    public void run(CreateJob job) {
        ClonedDisk root = switch (job.launch()) {
            case CreateJob.Cold(LaunchPath.ColdBoot plan) -> clone(job, plan.rootDisk(), job.plan.image().rootfs());
            case CreateJob.Restored(LaunchPath.Restore plan) -> clone(job, plan.rootDisk(), plan.snapshot().rootDisk());
            case CreateJob.Adopted warm -> null;
        };
        if (root == null) {
            return;
        }
        job.undos.push(stage(), () -> disks.remove(root));
        job.runtime.record(r -> r.withRootDisk(root), null);
    }

    private ClonedDisk clone(CreateJob job, CloneStrategy strategy, Path base) {
        return disks.clone(strategy, base, job.runtime.get().vmDir().resolve(VmFiles.rootDiskName(strategy.format())), 0);
    }
}
