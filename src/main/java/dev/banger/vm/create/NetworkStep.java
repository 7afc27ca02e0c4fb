package dev.banger.vm.create;

import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.HostTaps;

/**
 * The network stage: takes the VM's TAP from the plan's source (a warm machine has its own). The
 * NAT rules are the NAT capability's, begun and awaited through the capability pipeline.
 */
final class NetworkStep implements CreateStep {
    private final HostTaps taps;

    NetworkStep(HostTaps taps) {
        this.taps = taps;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.NETWORK;
    }

    @Override
    public void run(CreateJob job) {
        String name = job.name();
        if (job.launch() instanceof CreateJob.Cold(LaunchPath.ColdBoot plan)) {
            String tap = taps.acquire(plan.tap(), "tap-vm-" + job.vm().network().vsockCid());
            job.undos.push(stage(), () -> taps.release(name, tap));
            job.runtime.record(r -> r.withTap(tap), null);
        }
    }
}
