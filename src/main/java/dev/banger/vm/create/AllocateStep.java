package dev.banger.vm.create;

import dev.banger.model.Vm;
import dev.banger.store.NewVm;
import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.NatController;
import dev.banger.vm.state.VmFiles;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.warm.WarmMachines;
import dev.banger.vmm.VmmInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The allocate stage: the VM's row (address, MAC, vsock CID, published ports) and its directory. On the warm path
 * it takes a waiting machine of the plan's shape, whose directory, disks, TAP and paused VMM
 * become the VM's, all recorded at once (on the restore path, one that waits with the snapshot
 * loaded); when none waits, the create boots cold or restores as the plan says.
 * Its undo, the rollback's last, removes the row and then the NAT rules when no VM is left: the
 * rules exist while any VM does, and the NAT capability may have begun them for this one.
 */
final class AllocateStep implements CreateStep {
    private final VmLifecycle lifecycle;
    private final WarmMachines warm;
    private final HostTaps taps;
    private final NatController nat;

    AllocateStep(VmLifecycle lifecycle, WarmMachines warm, HostTaps taps, NatController nat) {
        this.lifecycle = lifecycle;
        this.warm = warm;
        this.taps = taps;
        this.nat = nat;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.ALLOCATE;
    }

    @Override
    public void run(CreateJob job) {
        CreatePlan plan = job.plan;
        String name = job.name();
        Vm created = lifecycle.allocate(new NewVm(name, plan.image().name(), plan.vcpus(), plan.memoryMib(), plan.diskBytes(),
                plan.vmm(), plan.publish()));
        job.undos.push(stage(), () -> {
            lifecycle.remove(name);
            nat.removeIfUnused(lifecycle.othersExist(name));
        });
        Path dir = job.runtime.get().vmDir();
        Optional<WarmMachines.Machine> claimed = switch (plan.launch()) {
            case LaunchPath.WarmMachine path -> warm.claim(path.shape());
            case LaunchPath.ColdBoot cold -> Optional.empty();
            case LaunchPath.Restore restore -> restore.warm() == null ? Optional.<WarmMachines.Machine>empty()
                    : warm.claim(restore.warm());
        };
        if (claimed.isEmpty()) {
            VmFiles.makeDir(dir);
            job.undos.push(stage(), () -> VmFiles.deleteTree(dir));
            job.runtime.record(r -> r, null);
            job.allocated(created, launch(plan.launch()));
        } else {
            adopt(job, claimed.get(), created, dir);
        }
        switch (plan.launch()) {
            case LaunchPath.WarmMachine path -> warm.want(path.shape());
            case LaunchPath.Restore restore when restore.warm() != null -> warm.want(restore.warm());
            default -> { }
        }
    }

    private void adopt(CreateJob job, WarmMachines.Machine machine, Vm created, Path dir) {
        String tap = machine.tap();
        VmmInstance instance = warm.moveInto(machine, dir);
        job.undos.push(stage(), () -> VmFiles.deleteTree(dir));
        Path root = WarmMachines.rootDisk(dir).path();
        Path work = dir.resolve(WarmMachines.WORK_FILE);
        if (job.plan.launch() instanceof LaunchPath.Restore restore) {
            // Undone as a restore's own machine, disks and TAP are, so a restore that fails can boot cold in this directory.
            job.undos.push(CreateStage.ROOT_DISK, () -> VmFiles.deleteQuietly(root));
            job.undos.push(CreateStage.WORK_DISK, () -> VmFiles.deleteQuietly(work));
            job.undos.push(CreateStage.NETWORK, () -> {
                taps.attach(tap);
                taps.release(job.name(), tap);
            });
            job.undos.push(CreateStage.RESTORE, () -> job.vmm.stop(instance, Duration.ZERO));
            job.runtime.record(r -> r.withRootDisk(WarmMachines.rootDisk(dir)).withWorkDisk(work).withTap(tap).withInstance(instance)
                    .withRestoredFrom(restore.snapshot().dir()), instance.pid());
            job.allocated(created, new CreateJob.Adopted(instance, machine.shape().diskBytes(), restore));
            return;
        }
        job.undos.push(stage(), () -> {
            job.vmm.stop(instance, Duration.ofSeconds(5));
            taps.release(job.name(), tap);
        });
        job.runtime.record(r -> r.withRootDisk(WarmMachines.rootDisk(dir)).withWorkDisk(work).withTap(tap).withInstance(instance),
                instance.pid());
        job.allocated(created, new CreateJob.Adopted(instance, machine.shape().diskBytes(), null));
    }

    /** How a create without a claimed warm machine runs. */
    private static CreateJob.Launch launch(LaunchPath launch) {
        return switch (launch) {
            case LaunchPath.ColdBoot cold -> new CreateJob.Cold(cold);
            case LaunchPath.WarmMachine warm -> new CreateJob.Cold(warm.otherwise());
            case LaunchPath.Restore restore -> new CreateJob.Restored(restore);
        };
    }
}
