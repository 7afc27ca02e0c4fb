package dev.banger.vm.boot;

/**
 * The capabilities stage: every capability prepares the host for the VM (its undo tears them
 * down), and the machine's spec is made from what they contribute (a warm machine runs already;
 * a restored one is the snapshot's machine on this VM's files). A guest that takes its SSH host key
 * from the config drive gets the drive, written here, at every boot.
 */
final class CapabilitiesStep implements BootStep {
    private final Machines machines;

    CapabilitiesStep(Machines machines) {
        this.machines = machines;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.CAPABILITIES;
    }

    @Override
    public void run(BootJob job) {
        machines.prepare(machines.context(job.vm, job.runtime.get()));
        job.undos.push(stage(), () -> machines.teardown(machines.context(job.vm, job.runtime.get())));
        if (job.adopted != null && job.restoring == null) {
            return; // the vmm-start stage writes a booting warm machine's drive
        }
        if (job.restoring != null || job.hostKeyOnDrive) {
            VmmStartStep.writeConfigDrive(job.runtime.get().vmDir(),
                    machines.configDrive(job.vm, job.image, job.runtime.get(), job.hostKeyOnDrive));
        }
        if (job.adopted != null) {
            return;
        }
        job.spec = job.restoring != null ? machines.restored(job.vm, job.image, job.runtime.get(), job.restoring)
                : machines.spec(job.vm, job.image, job.runtime.get(), job.vmm, job.hostKeyOnDrive);
    }
}
