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
 * The restore stage, instead of vmm-start: the backend loads the golden snapshot into a machine on
 * this VM's files, paused, and its work drive is grown to the asked size (a warm machine that waited
 * with the snapshot loaded has all of that done). The guest runs again in
 * the identity stage, as a booted one runs in the boot stage. Any failure here is a
 * {@link RestoreFailedException}: the caller retires the snapshot and boots cold.
 */
final class RestoreStep implements BootStep {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreStep.class);
    private final Function<Acceleration, BootDeadlines> deadlines;

    RestoreStep(Function<Acceleration, BootDeadlines> deadlines) {
        this.deadlines = deadlines;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.RESTORE;
    }

    @Override
    public void run(BootJob job) {
        GoldenSnapshot snapshot = job.restoring;
        if (job.adopted != null) {
            // A warm machine that waited with the snapshot loaded; the work-disk stage grew its drive.
            job.instance = job.adopted;
            job.deadlines = deadlines.apply(job.acceleration());
            LOG.info("VM {}: {} pid {} from the warm pool, {} loaded", job.name(), job.vmm.name(), job.adopted.pid(), snapshot);
            return;
        }
        try {
            VmmInstance restored = job.vmm.restorePaused(job.spec, snapshot.files());
            job.undos.push(stage(), () -> job.vmm.stop(restored, Duration.ZERO));
            job.runtime.record(r -> r.withInstance(restored), restored.pid());
            job.instance = restored;
            job.deadlines = deadlines.apply(job.acceleration());
            // Paused, the guest sees the new capacity as soon as it runs.
            if (job.diskBytes > snapshot.meta().workBytes()) {
                job.vmm.growDrive(restored, WorkDiskCapability.DRIVE_ID, job.diskBytes);
            }
        } catch (RuntimeException e) {
            throw new RestoreFailedException(snapshot, e);
        }
    }
}
