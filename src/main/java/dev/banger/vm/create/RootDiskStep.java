package dev.banger.vm.create;

import dev.banger.host.disk.DiskFormat;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.VmDisks;

/** The root-disk stage: the image's rootfs cloned by the plan's strategy (a warm machine has its own already). */
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
        if (!(job.launch() instanceof CreateJob.Cold(LaunchPath.ColdBoot plan))) {
            return;
        }
        String file = plan.rootDisk().format() == DiskFormat.QCOW2 ? "root.qcow2" : "root.img";
        ClonedDisk root = disks.clone(plan.rootDisk(), job.plan.image().rootfs(), job.runtime.get().vmDir().resolve(file), 0);
        job.undos.push(stage(), () -> disks.remove(root));
        job.runtime.record(r -> r.withRootDisk(root), null);
    }
}
