package dev.banger.vm;

import dev.banger.host.disk.ClonedDisk;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.Vm;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmState;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.NatController;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.state.VmFiles;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes VMs: several at once, each independently, drained at shutdown ({@link ShutdownGate});
 * a VM is torn down from whatever state it is in, steps whose state is already gone skipped, and
 * the NAT rules go with the last VM. Thread-safe.
 */
final class VmRemoval {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");

    private final VmLifecycle lifecycle;
    private final VmLocks locks;
    private final Backends backends;
    private final HostTaps taps;
    private final VmDisks disks;
    private final NatController nat;
    private final Machines machines;
    private final VmShares shares;
    private final ShutdownGate deletes = new ShutdownGate();
    private volatile FaultPoints faults = FaultPoints.NONE;

    VmRemoval(VmLifecycle lifecycle, VmLocks locks, Backends backends, HostTaps taps, VmDisks disks, NatController nat,
            Machines machines, VmShares shares) {
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.backends = backends;
        this.taps = taps;
        this.disks = disks;
        this.nat = nat;
        this.machines = machines;
        this.shares = shares;
    }

    void useFaultPoints(FaultPoints points) {
        this.faults = points;
    }

    boolean drain(Duration limit) {
        return deletes.closeAndAwait(limit);
    }

    /** Deletes each named VM independently; one failure does not stop the others. */
    VmDeleteResult delete(List<String> names) {
        List<VmDeleteResult.Outcome> outcomes = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            if (!deletes.enter()) {
                outcomes.add(new VmDeleteResult.Outcome(name, false, "not deleted: bangerd is shutting down; run 'banger vm delete "
                        + name + "' again once it is back", ErrorKind.PRECONDITION_FAILED.wireName()));
                continue;
            }
            try {
                faults.reach("vm-delete", name);
                locks.with(name, () -> {
                    deleteLocked(lifecycle.get(name));
                    return null;
                });
                outcomes.add(new VmDeleteResult.Outcome(name, true, null, null));
            } catch (BangerException e) {
                outcomes.add(new VmDeleteResult.Outcome(name, false, e.getMessage(), e.kind().wireName()));
            } catch (RuntimeException e) {
                outcomes.add(new VmDeleteResult.Outcome(name, false, e.toString(), ErrorKind.INTERNAL.wireName()));
            } finally {
                deletes.exit();
            }
        }
        nat.removeIfUnused(!lifecycle.list().isEmpty());
        return new VmDeleteResult(outcomes);
    }

    /** Tears a VM down from whatever state it is in; steps whose state is already gone are skipped. */
    void deleteLocked(Vm vm) {
        VmRuntime runtime = lifecycle.runtime(vm);
        lifecycle.record(vm.name(), VmState.DELETING, vm.pid(), null);
        shares.detach(vm.name());
        if (runtime.instance() != null) {
            // Under the soak's test-only switch a guest never waited for gets no time to shut down either.
            backends.vmm(vm.vmm()).stop(runtime.instance(), faults.skipsGuestWait(vm.name()) ? Duration.ZERO : Duration.ofSeconds(10));
        }
        taps.release(vm.name(), runtime.tap());
        machines.teardown(machines.context(vm, runtime));
        ClonedDisk root = runtime.rootDisk();
        if (root != null) {
            disks.remove(root);
        }
        VmFiles.deleteTree(runtime.vmDir());
        lifecycle.remove(vm.name());
        LOG.info("VM {}: deleted", vm.name());
    }
}
