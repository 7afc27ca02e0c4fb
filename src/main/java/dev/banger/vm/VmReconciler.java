package dev.banger.vm;

import dev.banger.capability.GuestNames;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.NatController;
import dev.banger.vm.state.VmFiles;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's start: the store against what really runs. VMs whose VMM died are marked stopped
 * and their TAPs go back to the pool; creates and deletes a killed daemon left half-done are
 * rolled back or finished; VM directories without a VM are removed. Then the host network starts
 * with the TAPs of live VMs left alone, running VMs get their published ports back, and their
 * shares are mounted again (in the background). Everything it changes is returned for the log.
 */
final class VmReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(VmReconciler.class);

    private final VmLifecycle lifecycle;
    private final Backends backends;
    private final HostTaps taps;
    private final GuestNames names;
    private final NatController nat;
    private final VmRemoval removal;
    private final Consumer<Set<String>> startHost;
    private final Consumer<List<String>> ports;
    private final VmShares shares;

    /**
     * @param startHost starts the host network, leaving the given TAPs (live VMs') alone ({@link VmHost#start})
     * @param ports     puts the running VMs' published ports back and takes the others' out ({@link PortForwards#reconcile})
     */
    VmReconciler(VmLifecycle lifecycle, Backends backends, HostTaps taps, GuestNames names, NatController nat, VmRemoval removal,
            Consumer<Set<String>> startHost, Consumer<List<String>> ports, VmShares shares) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.taps = taps;
        this.names = names;
        this.nat = nat;
        this.removal = removal;
        this.startHost = startHost;
        this.ports = ports;
        this.shares = shares;
    }

    /** Reconciles and starts the host network; returns one line per change made. */
    List<String> reconcileAndStart() {
        List<String> changes = new ArrayList<>();
        Set<String> liveTaps = new HashSet<>();
        List<Vm> unfinished = new ArrayList<>();
        for (Vm vm : lifecycle.list()) {
            VmRuntime runtime = lifecycle.runtime(vm);
            boolean alive = runtime.instance() != null && backends.vmm(vm.vmm()).isAlive(runtime.instance());
            if (alive && runtime.tap() != null) {
                liveTaps.add(runtime.tap());
            }
            if (!alive && runtime.tap() != null) {
                // The pool adopts a dead VM's TAP when it starts; the VM must not hold it any more.
                runtime = runtime.stopped();
                lifecycle.record(vm.name(), vm.state(), null, runtime);
            }
            if (vm.state() == VmState.CREATING && runtime.instance() == null) {
                stopUnrecordedVmms(vm, runtime, changes);
            }
            switch (vm.state()) {
                case CREATING, DELETING -> unfinished.add(vm);
                case RUNNING -> {
                    if (!alive) {
                        lifecycle.record(vm.name(), VmState.STOPPED, null, runtime.stopped());
                        changes.add("VM " + vm.name() + ": its " + vm.vmm() + " process is gone; marked stopped, disks kept");
                    }
                }
                default -> { }
            }
        }
        startHost.accept(liveTaps);
        for (String tap : taps.removeStrays(liveTaps)) {
            changes.add("deleted TAP " + tap + ", attached to the bridge but used by no VM");
        }
        for (Vm vm : unfinished) {
            try {
                removal.deleteLocked(lifecycle.get(vm.name()));
                changes.add("VM " + vm.name() + ": " + (vm.state() == VmState.CREATING
                        ? "rolled back a create the previous daemon did not finish" : "finished an interrupted delete"));
            } catch (RuntimeException e) {
                changes.add("VM " + vm.name() + ": could not clean up (" + e.getMessage() + "); delete it with 'banger vm delete "
                        + vm.name() + "'");
            }
        }
        for (Vm vm : lifecycle.list()) {
            names.publish(vm.name(), vm.network().ip());
        }
        ports.accept(changes);
        // NAT rules a crashed daemon left behind with no VM to serve.
        nat.removeIfUnused(!lifecycle.list().isEmpty());
        removeOrphanDirs(changes);
        shares.reattach(lifecycle.list().stream().filter(vm -> vm.state() == VmState.RUNNING).toList());
        changes.forEach(change -> LOG.warn("reconcile: {}", change));
        return changes;
    }

    /** Before the TAP pool adopts the TAPs: an unrecorded VMM may hold one. */
    private void stopUnrecordedVmms(Vm vm, VmRuntime runtime, List<String> changes) {
        Vmm vmm = backends.vmm(vm.vmm());
        for (VmmInstance orphan : OrphanVmms.find(vmm, runtime.vmDir())) {
            vmm.stop(orphan, Duration.ZERO);
            changes.add("VM " + vm.name() + ": stopped " + vm.vmm() + " pid " + orphan.pid()
                    + ", started by a create the previous daemon did not record");
        }
    }

    private void removeOrphanDirs(List<String> changes) {
        Path root = lifecycle.dirs().root();
        if (!Files.isDirectory(root)) {
            return;
        }
        Set<String> known = new HashSet<>();
        lifecycle.list().forEach(vm -> known.add(vm.name()));
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                if (!known.contains(dir.getFileName().toString())) {
                    VmFiles.deleteTree(dir);
                    changes.add("removed " + dir + ", which belongs to no VM");
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", root, e.toString());
        }
    }
}
