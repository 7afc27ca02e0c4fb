package dev.banger.vm.boot;

/**
 * The capabilities stage: every capability prepares the host for the VM (its undo tears them
 * down), and the machine's spec is made from what they contribute (a warm machine runs already;
 * a restored one is the snapshot's machine on this VM's files).
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
        if (job.restoring != null) {
            VmmStartStep.writeConfigDrive(job.runtime.get().vmDir(), machines.configDrive(job.vm, job.runtime.get()), true);
            job.spec = machines.restored(job.vm, job.image, job.runtime.get(), job.restoring);
        } else if (job.adopted == null) {
            job.spec = machines.spec(job.vm, job.image, job.runtime.get(), job.vmm);
        }
    }
}
