package dev.banger.vm.boot;

import dev.banger.vm.state.VmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vmm-start stage: the VMM started from the spec with its guest held ({@code startPaused}),
 * recorded at once; or, for a warm machine, the VM's settings written to its config drive, which
 * QEMU has open and the guest reads when it first runs.
 */
final class VmmStartStep implements BootStep {
    private static final Logger LOG = LoggerFactory.getLogger(VmmStartStep.class);
    private final Machines machines;

    VmmStartStep(Machines machines) {
        this.machines = machines;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.VMM_START;
    }

    @Override
    public void run(BootJob job) {
        if (job.adopted != null) {
            writeConfigDrive(job.runtime.get().vmDir(), machines.configDrive(job.vm, job.image, job.runtime.get(), job.hostKeyOnDrive));
            LOG.info("VM {}: {} pid {} from the warm pool", job.name(), job.vmm.name(), job.adopted.pid());
            job.instance = job.adopted;
            return;
        }
        var started = job.vmm.startPaused(job.spec);
        job.undos.push(stage(), () -> job.vmm.stop(started, Duration.ofSeconds(5)));
        job.runtime.record(r -> r.withInstance(started), started.pid());
        job.instance = started;
    }

    /**
     * Writes a VM's config drive: into the file in place when there is one (a warm machine's QEMU has
     * it open), else into a new file only root reads (it carries the VM's SSH host key).
     */
    static void writeConfigDrive(Path vmDir, byte[] content) {
        Path drive = vmDir.resolve(Machines.CONFIG_FILE);
        try {
            if (Files.exists(drive)) {
                Files.write(drive, content, StandardOpenOption.WRITE);
            } else {
                Files.write(drive, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            Files.setPosixFilePermissions(drive, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw VmException.failed("cannot write the config drive " + drive + ": " + e.getMessage());
        }
    }
}
