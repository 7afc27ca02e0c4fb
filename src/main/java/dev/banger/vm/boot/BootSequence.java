package dev.banger.vm.boot;

import dev.banger.model.StageRunner;
import dev.banger.vmm.Acceleration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one way a VM's machine comes to run, for a create, a start and a restart alike: capabilities
 * prepared and the spec made, the VMM started paused (or a warm machine's settings written), the
 * host services the guest needs ready, the guest let run, then its agent, sshd and services
 * awaited, then its shared directories mounted ({@link SharesStep}). A create that restores a
 * golden snapshot loads it instead of starting and booting ({@link RestoreStep}) and gives the guest its identity ({@link IdentityStep}) before sshd. A warm machine is this sequence's first half done ahead of time ({@link
 * WarmMachineFactory}). Each step pushes its undo onto the job's log; the caller rolls back.
 * Thread-safe: jobs share nothing here.
 */
public final class BootSequence {
    private final List<BootStep> steps;
    private final List<BootStep> restoring;
    private final int agentPort;
    private final int sshPort;

    /** Which VMs' guests are not waited for: none, except under the soak's test-only switch. */
    private volatile Predicate<String> guestNotAwaited = vm -> false;

    public BootSequence(Machines machines, Function<Acceleration, BootDeadlines> deadlines, int agentPort, int sshPort,
            IdentityParts identity) {
        this(machines, deadlines, agentPort, sshPort, identity, GuestShares.NONE);
    }

    public BootSequence(Machines machines, Function<Acceleration, BootDeadlines> deadlines, int agentPort, int sshPort,
            IdentityParts identity, GuestShares shares) {
        this.steps = List.of(new CapabilitiesStep(machines), new VmmStartStep(machines), new GuestBootStep(machines, deadlines),
                new SshdStep(), new ServicesStep(), new SharesStep(shares));
        this.restoring = List.of(new CapabilitiesStep(machines), new RestoreStep(deadlines),
                new IdentityStep(machines, identity), new SshdStep(), new ServicesStep(), new SharesStep(shares));
        this.agentPort = agentPort;
        this.sshPort = sshPort;
    }

    /**
     * The fault suite's soak: the guests of the VMs {@code vms} accepts are let run but not waited
     * for (no agent, sshd or services), so create/delete cycles cost only their host side.
     */
    public void skipGuestWaits(Predicate<String> vms) {
        this.guestNotAwaited = vms;
    }

    /** Runs every step as a stage of {@code stages}; returns the guest's SSH host keys, which the agent reports once sshd is up. */
    public List<String> run(BootJob job, StageRunner stages) {
        job.waiter = waiter(job.vmm);
        job.awaitGuest = !guestNotAwaited.test(job.name());
        for (BootStep step : job.restoring != null ? restoring : steps) {
            stages.run(step.stage().wireName(), () -> step.run(job));
        }
        return job.ready == null ? List.of() : job.ready.hostKeys();
    }

    /** The boot and health waits for a machine of {@code vmm}, over its agent channel. */
    public BootWaiter waiter(dev.banger.vmm.Vmm vmm) {
        return new BootWaiter(vmm, agentPort, sshPort);
    }
}
