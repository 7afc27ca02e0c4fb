package dev.banger.vm.create;

import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.vm.boot.BootJob;
import dev.banger.vm.boot.UndoLog;
import dev.banger.vm.host.GuestStartGate;
import dev.banger.vm.state.RuntimeRecord;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;

/**
 * One create under way: its plan, its undo log, the runtime recorded after each host change, and
 * what allocate decided. The create's stages share it; side-by-side stages only touch their own
 * parts. Thread-safe.
 */
final class CreateJob {
    /** How this create's machine comes to run, as allocate settled it: the plan's launch path, or its fallback. */
    sealed interface Launch permits Cold, Adopted, Restored {}

    /** A VMM started for the VM on disks cloned for it. */
    record Cold(LaunchPath.ColdBoot plan) implements Launch {}

    /** A golden snapshot is restored as the VM. */
    record Restored(LaunchPath.Restore plan) implements Launch {}

    /**
     * A warm machine became the VM; {@code diskBytes} is the size its work drive was made at;
     * {@code restore} is the plan's restore when the machine waited with its snapshot loaded, else null.
     */
    record Adopted(VmmInstance instance, long diskBytes, LaunchPath.Restore restore) implements Launch {}

    final CreatePlan plan;
    final Vmm vmm;
    final UndoLog undos = new UndoLog();
    final RuntimeRecord runtime;
    final GuestStartGate.Pass hostSide;
    private volatile Vm vm;
    private volatile Launch launch;

    CreateJob(CreatePlan plan, Vmm vmm, VmLifecycle lifecycle, GuestStartGate.Pass hostSide) {
        this.plan = plan;
        this.vmm = vmm;
        this.runtime = new RuntimeRecord(lifecycle, plan.name(), VmState.CREATING,
                VmRuntime.empty(lifecycle.dirs().of(plan.name())));
        this.hostSide = hostSide;
    }

    String name() {
        return plan.name();
    }

    /** Set by allocate. */
    void allocated(Vm stored, Launch how) {
        this.vm = stored;
        this.launch = how;
    }

    Vm vm() {
        return vm;
    }

    Launch launch() {
        return launch;
    }

    /** A restore that failed gives way to the cold boot its plan names. */
    void bootColdInstead(LaunchPath.ColdBoot plan) {
        this.launch = new Cold(plan);
    }

    /** The boot that follows the host-side stages. */
    BootJob boot() {
        VmmInstance adopted = launch instanceof Adopted warm ? warm.instance() : null;
        BootJob job = new BootJob(vm, plan.image(), plan.services(), vmm, runtime, undos, hostSide, adopted, plan.acceleration());
        if (launch instanceof Restored restored) {
            job.restoreFrom(restored.plan().snapshot(), plan.diskBytes());
        } else if (launch instanceof Adopted(VmmInstance instance, long bytes, LaunchPath.Restore restore) && restore != null) {
            job.restoreFrom(restore.snapshot(), plan.diskBytes());
        }
        return job;
    }
}
