package dev.banger.vm.create;

import dev.banger.image.ImageCatalog;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.vm.boot.BootJob;
import dev.banger.vm.boot.BootSequence;
import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.boot.RestoreFailedException;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.GuestStartGate;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.NatController;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.snapshot.GoldenSnapshots;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.warm.WarmMachines;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link CreatePlan}: validate and allocate, then root disk, work disk and network side by
 * side ({@link Parallel}: the host-side total is the slowest of the three, and all end before any
 * rollback), then the {@link BootSequence}; a snapshot that does not restore gives way to a cold
 * boot. Each stage is timed through the {@link StageRunner} and pushes its undo; a failure rolls
 * back in {@link CreateStage} order and the VM's row goes last, so nothing half-made remains.
 * Thread-safe: concurrent creates of different VMs share nothing but the host's owners and the
 * {@link GuestStartGate}.
 */
public final class CreatePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(CreatePipeline.class);
    private final VmLifecycle lifecycle;
    private final Backends backends;
    private final GuestStartGate guestStart;
    private final BootSequence boot;
    private final CreateStep validate;
    private final CreateStep allocate;
    private final List<CreateStep> sideBySide;
    private final GoldenSnapshots snapshots;
    private final WarmMachines warm;

    public CreatePipeline(VmLifecycle lifecycle, Backends backends, GuestStartGate guestStart, WarmMachines warm, HostTaps taps,
            VmDisks disks, NatController nat, ImageCatalog images, BootSequence boot, GoldenSnapshots snapshots) {
        this.lifecycle = lifecycle;
        this.snapshots = snapshots;
        this.backends = backends;
        this.guestStart = guestStart;
        this.boot = boot;
        this.validate = new ValidateStep(lifecycle);
        this.allocate = new AllocateStep(lifecycle, warm, taps, nat);
        this.warm = warm;
        this.sideBySide = List.of(new RootDiskStep(disks), new WorkDiskStep(disks, images), new NetworkStep(taps));
    }

    /** Runs the plan to a running, reachable VM, or rolls it back completely and rethrows. */
    public Vm run(CreatePlan plan, StageRunner stages) {
        CreateJob job = new CreateJob(plan, backends.vmm(plan.vmm()), lifecycle, guestStart.enter());
        try {
            run(validate, job, stages);
            run(allocate, job, stages);
            runSideBySide(job, stages);
            BootJob booting = job.boot();
            List<String> hostKeys;
            try {
                hostKeys = boot.run(booting, stages);
            } catch (RestoreFailedException e) {
                booting = bootColdInstead(job, e, stages);
                hostKeys = boot.run(booting, stages);
            }
            return lifecycle.record(plan.name(), VmState.RUNNING, booting.instance().pid(),
                    job.runtime.get().withHostKeys(hostKeys));
        } catch (RuntimeException e) {
            job.undos.rollBack(plan.name(), stages);
            throw e;
        } finally {
            job.hostSide.leave();
        }
    }

    private void runSideBySide(CreateJob job, StageRunner stages) {
        Parallel.run(sideBySide.stream().<Runnable>map(step -> () -> run(step, job, stages)).toArray(Runnable[]::new));
    }

    /**
     * A snapshot that did not restore is retired, what the restore made (disks on its frozen ones, the
     * machine, the capabilities' host state, the TAP) is undone, and the create boots cold as its plan
     * says; the VM's row and directory stay.
     */
    private BootJob bootColdInstead(CreateJob job, RestoreFailedException failed, StageRunner stages) {
        LOG.warn("VM {}: {}; retiring it and booting cold", job.name(), failed.getMessage());
        snapshots.retire(failed.snapshot());
        warm.retireSnapshots(GoldenSnapshot::retired);
        job.undos.rollBack(job.name(), stages, EnumSet.of(CreateStage.ROOT_DISK, CreateStage.WORK_DISK, CreateStage.NETWORK,
                CreateStage.CAPABILITIES, CreateStage.RESTORE, CreateStage.IDENTITY));
        job.runtime.record(r -> r.withRootDisk(null).withWorkDisk(null).withTap(null).withInstance(null).withRestoredFrom(null), null);
        job.bootColdInstead(((LaunchPath.Restore) job.plan.launch()).otherwise());
        runSideBySide(job, stages);
        return job.boot();
    }

    private static void run(CreateStep step, CreateJob job, StageRunner stages) {
        stages.run(step.stage().wireName(), () -> step.run(job));
    }
}
