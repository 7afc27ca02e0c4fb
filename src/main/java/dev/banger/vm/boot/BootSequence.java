package dev.banger.vm.boot;

import dev.banger.model.HealthReport;
import dev.banger.model.StageRunner;
import dev.banger.vmm.Acceleration;
import java.util.List;
import java.util.function.Function;

/**
 * The one way a VM's machine comes to run, for a create, a start and a restart alike: capabilities
 * prepared and the spec made, the VMM started paused (or a warm machine's settings written), the
 * host services the guest needs ready, the guest let run, then its agent, sshd and services
 * awaited. A warm machine is this sequence's first half done ahead of time ({@link
 * WarmMachineFactory}). Each step pushes its undo onto the job's log; the caller rolls back.
 * Thread-safe: jobs share nothing here.
 */
public final class BootSequence {
    private final List<BootStep> steps;
    private final int agentPort;
    private final int sshPort;

    public BootSequence(Machines machines, Function<Acceleration, BootDeadlines> deadlines, int agentPort, int sshPort) {
        this.steps = List.of(new CapabilitiesStep(machines), new VmmStartStep(machines), new GuestBootStep(machines, deadlines),
                new SshdStep(), new ServicesStep());
        this.agentPort = agentPort;
        this.sshPort = sshPort;
    }

    /** Runs every step as a stage of {@code stages}; returns the agent's report with sshd up (it carries the host keys). */
    public HealthReport run(BootJob job, StageRunner stages) {
        job.waiter = waiter(job.vmm);
        for (BootStep step : steps) {
            stages.run(step.stage().wireName(), () -> step.run(job));
        }
        return job.ready;
    }

    /** The boot and health waits for a machine of {@code vmm}, over its agent channel. */
    public BootWaiter waiter(dev.banger.vmm.Vmm vmm) {
        return new BootWaiter(vmm, agentPort, sshPort);
    }
}
