package dev.banger.vm.create;

import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.NatController;
import dev.banger.vm.state.VmLifecycle;

/**
 * The network stage: begins the NAT rules (the first VM's; awaited before the guest runs, through
 * the NAT capability) and takes the VM's TAP from the plan's source (a warm machine has its own).
 * Its undo removes the NAT rules when no other VM is left, so a rolled-back only VM leaves none.
 */
final class NetworkStep implements CreateStep {
    private final NatController nat;
    private final HostTaps taps;
    private final VmLifecycle lifecycle;

    NetworkStep(NatController nat, HostTaps taps, VmLifecycle lifecycle) {
        this.nat = nat;
        this.taps = taps;
        this.lifecycle = lifecycle;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.NETWORK;
    }

    @Override
    public void run(CreateJob job) {
        String name = job.name();
        job.undos.push(stage(), () -> nat.removeIfUnused(lifecycle.othersExist(name)));
        nat.startNat();
        if (job.launch() instanceof CreateJob.Cold(LaunchPath.ColdBoot plan)) {
            String tap = taps.acquire(plan.tap(), "tap-vm-" + job.vm().network().vsockCid());
            job.undos.push(stage(), () -> taps.release(name, tap));
            job.runtime.record(r -> r.withTap(tap), null);
        }
    }
}
