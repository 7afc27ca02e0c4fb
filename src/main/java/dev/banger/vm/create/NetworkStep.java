package dev.banger.vm.create;

import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.TapSource;

/**
 * The network stage: takes the VM's TAP from the plan's source (a warm machine has its own); a
 * restored VM's waits off the bridge until its guest has its own identity. The
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
        switch (job.launch()) {
            case CreateJob.Cold(LaunchPath.ColdBoot plan) -> {
                String tap = taps.acquire(plan.tap(), "tap-vm-" + job.vm().network().vsockCid());
                job.undos.push(stage(), () -> taps.release(name, tap));
                job.runtime.record(r -> r.withTap(tap), null);
            }
            case CreateJob.Restored restored -> {
                // Off the bridge until the restored guest has taken its own MAC (identity stage).
                String tap = taps.acquire(TapSource.POOL, null);
                job.undos.push(stage(), () -> {
                    taps.attach(tap);
                    taps.release(name, tap);
                });
                taps.detach(tap);
                job.runtime.record(r -> r.withTap(tap), null);
            }
            case CreateJob.Adopted warm -> { }
        }
    }
}
