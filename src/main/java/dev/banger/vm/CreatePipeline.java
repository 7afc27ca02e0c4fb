package dev.banger.vm;

import dev.banger.image.ImageCatalog;
import dev.banger.model.HealthReport;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import java.util.List;

/**
 * Runs a {@link CreatePlan}: validate and allocate, then root disk, work disk and network side by
 * side ({@link Parallel}: the host-side total is the slowest of the three, and all end before any
 * rollback), then the {@link BootSequence}. Each stage is timed through the {@link StageRunner}
 * and pushes its undo; a failure rolls back in {@link CreateStage} order and the VM's row goes
 * last, so nothing half-made remains. Thread-safe: concurrent creates of different VMs share
 * nothing but the host's owners and the {@link GuestStartGate}.
 */
final class CreatePipeline {
    private final VmLifecycle lifecycle;
    private final VmHost host;
    private final BootSequence boot;
    private final CreateStep validate;
    private final CreateStep allocate;
    private final List<CreateStep> sideBySide;

    CreatePipeline(VmLifecycle lifecycle, VmHost host, ImageCatalog images, BootSequence boot) {
        this.lifecycle = lifecycle;
        this.host = host;
        this.boot = boot;
        this.validate = new ValidateStep(lifecycle);
        this.allocate = new AllocateStep(lifecycle, host.warm(), host.taps());
        this.sideBySide = List.of(new RootDiskStep(host.disks()), new WorkDiskStep(host.disks(), images),
                new NetworkStep(host.nat(), host.taps(), lifecycle));
    }

    /** Runs the plan to a running, reachable VM, or rolls it back completely and rethrows. */
    Vm run(CreatePlan plan, StageRunner stages) {
        CreateJob job = new CreateJob(plan, host.backends().vmm(plan.vmm()), lifecycle, host.guestStart().enter());
        try {
            run(validate, job, stages);
            run(allocate, job, stages);
            Parallel.run(sideBySide.stream().<Runnable>map(step -> () -> run(step, job, stages)).toArray(Runnable[]::new));
            BootJob booting = job.boot();
            HealthReport ready = boot.run(booting, stages);
            return lifecycle.record(plan.name(), VmState.RUNNING, booting.instance().pid(),
                    job.runtime.get().withHostKeys(ready.hostKeys()));
        } catch (RuntimeException e) {
            job.undos.rollBack(plan.name(), stages);
            throw e;
        } finally {
            job.hostSide.leave();
        }
    }

    private static void run(CreateStep step, CreateJob job, StageRunner stages) {
        stages.run(step.stage().wireName(), () -> step.run(job));
    }
}
