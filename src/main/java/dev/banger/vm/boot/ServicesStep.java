package dev.banger.vm.boot;

/** The services stage: every service the image declares (opencode on dev images) listening, as the agent reports. */
final class ServicesStep implements BootStep {
    @Override
    public CreateStage stage() {
        return CreateStage.SERVICES;
    }

    @Override
    public void run(BootJob job) {
        if (job.awaitGuest && !job.services.isEmpty()) {
            job.waiter.awaitServices(job.name(), job.instance, job.services, job.deadlines.services());
        }
    }
}
