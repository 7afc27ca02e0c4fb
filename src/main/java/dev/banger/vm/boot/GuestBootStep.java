package dev.banger.vm.boot;

import dev.banger.vm.host.GuestStartGate;
import dev.banger.vmm.Acceleration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot stage: once the creates begun alongside have their VMMs started too ({@link
 * GuestStartGate}; a start waits for none) and the host services the guest needs are ready (the
 * capabilities' background work: NAT), the guest runs, and the stage ends when its agent answers.
 */
final class GuestBootStep implements BootStep {
    private static final Logger LOG = LoggerFactory.getLogger(GuestBootStep.class);

    private final Machines machines;
    private final Function<Acceleration, BootDeadlines> deadlines;

    GuestBootStep(Machines machines, Function<Acceleration, BootDeadlines> deadlines) {
        this.machines = machines;
        this.deadlines = deadlines;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.BOOT;
    }

    @Override
    public void run(BootJob job) {
        Acceleration got = job.acceleration();
        job.deadlines = deadlines.apply(got);
        LOG.info("VM {}: runs as {}", job.name(), got == null ? job.vmm.name() : got.describe(job.vmm.name()));
        if (job.cohort != null && !job.cohort.leaveAndAwaitCohort()) {
            LOG.info("VM {}: creates begun alongside it are still on their host side after {} ms; its guest runs now",
                    job.name(), GuestStartGate.HOLD.toMillis());
        }
        machines.awaitReady(machines.context(job.vm, job.runtime.get()));
        job.vmm.resume(job.instance);
        if (job.awaitGuest) {
            job.waiter.awaitAgent(job.name(), job.instance, job.deadlines.agent());
        }
    }
}
