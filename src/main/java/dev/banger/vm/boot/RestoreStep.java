package dev.banger.vm.boot;

import dev.banger.capability.WorkDiskCapability;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.VmmInstance;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore stage, instead of vmm-start and boot: the backend loads the golden snapshot into a
 * machine on this VM's files, the host services the guest needs are made ready, the guest runs
 * again where it was saved, its work drive is grown to the asked size, and the stage ends when its
 * agent answers. Any failure here is a {@link RestoreFailedException}: the caller retires the
 * snapshot and boots cold.
 */
final class RestoreStep implements BootStep {
    /** A restored agent answers within a second; this bounds a snapshot that loads but never runs. */
    static final Duration AGENT_DEADLINE = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(RestoreStep.class);

    private final Machines machines;
    private final Function<Acceleration, BootDeadlines> deadlines;

    RestoreStep(Machines machines, Function<Acceleration, BootDeadlines> deadlines) {
        this.machines = machines;
        this.deadlines = deadlines;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.RESTORE;
    }

    @Override
    public void run(BootJob job) {
        GoldenSnapshot snapshot = job.restoring;
        // Host readiness (NAT) is not the snapshot's to fail: outside the fallback.
        machines.awaitReady(machines.context(job.vm, job.runtime.get()));
        try {
            VmmInstance restored = job.vmm.restorePaused(job.spec, snapshot.files());
            job.undos.push(stage(), () -> job.vmm.stop(restored, Duration.ZERO));
            job.runtime.record(r -> r.withInstance(restored), restored.pid());
            job.instance = restored;
            job.deadlines = deadlines.apply(job.acceleration());
            if (job.cohort != null) {
                job.cohort.leave(); // a restore takes the cores for a moment only
            }
            job.vmm.resume(restored);
            if (job.diskBytes > snapshot.meta().workBytes()) {
                job.vmm.growDrive(restored, WorkDiskCapability.DRIVE_ID, job.diskBytes);
            }
            if (job.awaitGuest) {
                job.waiter.awaitAgent(job.name(), restored, AGENT_DEADLINE);
            }
            LOG.info("VM {}: restored from {}", job.name(), snapshot);
        } catch (RuntimeException e) {
            throw new RestoreFailedException(snapshot, e);
        }
    }
}
