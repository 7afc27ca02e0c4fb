package dev.banger.vm.create;

import dev.banger.capability.WorkDiskCapability;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskFormat;
import dev.banger.image.ImageCatalog;
import dev.banger.model.Image;
import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The work-disk stage, {@code /root}: the image's seed cloned by the plan's strategy (made first,
 * the slow way, when the image has none), or built from the rootfs on the slow path. When the
 * guest grows {@code /root} at boot the clone just gets the asked size; otherwise the host grows
 * the file system. A warm machine's work drive is only grown to the asked size; a restored VM's is a
 * clone of its snapshot's frozen one.
 */
final class WorkDiskStep implements CreateStep {
    private final VmDisks disks;
    private final ImageCatalog images;

    WorkDiskStep(VmDisks disks, ImageCatalog images) {
        this.disks = disks;
        this.images = images;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.WORK_DISK;
    }

    @Override
    public void run(CreateJob job) {
        switch (job.launch()) {
            case CreateJob.Adopted warm -> {
                if (warm.diskBytes() != job.plan.diskBytes()) {
                    job.vmm.growDrive(warm.instance(), WorkDiskCapability.DRIVE_ID, job.plan.diskBytes());
                }
            }
            case CreateJob.Restored restored -> {
                // An overlay keeps the frozen size until the guest runs and is told of the asked one (restore
                // stage); a copy is extended now, and the backend re-reads its size then.
                LaunchPath.Restore plan = restored.plan();
                boolean overlay = plan.workDisk().format() == DiskFormat.QCOW2;
                Path file = job.runtime.get().vmDir().resolve(VmFiles.workDiskName(plan.workDisk().format()));
                ClonedDisk work = disks.clone(plan.workDisk(), plan.snapshot().workDisk(), file, overlay ? 0 : job.plan.diskBytes());
                job.undos.push(stage(), () -> disks.remove(work));
                job.runtime.record(r -> r.withWorkDisk(work.file()).withRestoredFrom(plan.snapshot().dir()), null);
            }
            case CreateJob.Cold cold -> {
                Path vmDir = job.runtime.get().vmDir();
                Path work = switch (cold.plan().workDisk()) {
                    case LaunchPath.CloneSeed seed -> cloneSeed(seed, job.plan, vmDir);
                    case LaunchPath.FromRootfs rootfs -> fromRootfs(job.plan, vmDir);
                };
                job.undos.push(stage(), () -> VmFiles.deleteQuietly(work));
                job.runtime.record(r -> r.withWorkDisk(work), null);
            }
        }
    }

    private Path cloneSeed(LaunchPath.CloneSeed seed, CreatePlan plan, Path vmDir) {
        Image image = plan.image();
        Image seeded = image.workSeed() != null && Files.isRegularFile(image.workSeed()) ? image : images.ensureWorkSeed(image.name());
        ClonedDisk work = disks.clone(seed.strategy(), seeded.workSeed(), vmDir.resolve(VmFiles.workDiskName(seed.strategy().format())),
                seed.guestGrows() ? plan.diskBytes() : 0);
        if (!seed.guestGrows()) {
            disks.growExt4OrDelete(work.file(), plan.diskBytes());
        }
        return work.file();
    }

    private Path fromRootfs(CreatePlan plan, Path vmDir) {
        Path work = vmDir.resolve(VmFiles.workDiskName(DiskFormat.RAW));
        Path scratch = vmDir.resolve("work-tree");
        try {
            Files.createDirectories(scratch);
            disks.workFromRootfs(plan.image().rootfs(), scratch, work);
        } catch (IOException e) {
            throw VmException.failed("cannot make the scratch directory " + scratch + ": " + e.getMessage());
        } finally {
            VmFiles.deleteTree(scratch);
        }
        disks.growExt4OrDelete(work, plan.diskBytes());
        return work;
    }
}
