package dev.banger.vm;

import dev.banger.image.ImageManifest;
import dev.banger.model.Image;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.vm.boot.BootJob;
import dev.banger.vm.boot.BootSequence;
import dev.banger.vm.boot.UndoLog;
import dev.banger.vm.create.CreatePlanner;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.PortForwarder;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.state.RuntimeRecord;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRules;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.Vmm;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops existing VMs; the caller holds the VM's lock. A start takes a TAP from the pool
 * and runs the same {@link BootSequence} as a create (untimed); a failed one is undone and leaves
 * the VM stopped. A stop ends its shares' sessions, keeps the disks, gives the TAP back and takes its
 * published ports out of the firewall (a start's capabilities put them back). Thread-safe.
 */
final class VmPower {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final VmLifecycle lifecycle;
    private final ImagePolicy images;
    private final Backends backends;
    private final HostTaps taps;
    private final VmDisks disks;
    private final BootSequence boot;
    private final PortForwarder ports;
    private final VmShares shares;

    VmPower(VmLifecycle lifecycle, ImagePolicy images, Backends backends, HostTaps taps, VmDisks disks, BootSequence boot,
            PortForwarder ports, VmShares shares) {
        this.lifecycle = lifecycle;
        this.images = images;
        this.backends = backends;
        this.taps = taps;
        this.disks = disks;
        this.boot = boot;
        this.ports = ports;
        this.shares = shares;
    }

    Vm start(Vm vm) {
        Vmm vmm = backends.vmm(vm.vmm());
        VmRuntime recorded = lifecycle.runtime(vm);
        if (vm.state() == VmState.RUNNING && recorded.instance() != null && vmm.isAlive(recorded.instance())) {
            return vm;
        }
        if (vm.state() != VmState.STOPPED && vm.state() != VmState.FAILED && vm.state() != VmState.RUNNING) {
            throw VmException.conflict("VM '" + vm.name() + "' is " + vm.state().wireName() + " and cannot be started");
        }
        VmRuntime runtime = recorded.stopped();
        if (disks.repairNestedLayout(runtime.workDisk())) {
            LOG.warn("VM {}: repaired a nested /root layout on its work disk before boot", vm.name());
        }
        Image image = images.get(vm.image());
        String tap = taps.acquire(TapSource.POOL, null);
        RuntimeRecord record = new RuntimeRecord(lifecycle, vm.name(), VmState.RUNNING, runtime.withTap(tap));
        UndoLog undos = new UndoLog();
        BootJob job = new BootJob(vm, image, CreatePlanner.declaredServices(ImageManifest.of(image)), vmm, record, undos,
                null, null, null);
        try {
            List<String> hostKeys = boot.run(job, StageRunner.UNRECORDED);
            Vm running = lifecycle.record(vm.name(), VmState.RUNNING, job.instance().pid(), record.get().withHostKeys(hostKeys));
            LOG.info("VM {}: started", vm.name());
            return running;
        } catch (RuntimeException e) {
            undos.rollBack(vm.name(), StageRunner.UNRECORDED);
            taps.release(vm.name(), tap);
            lifecycle.record(vm.name(), VmState.STOPPED, null, record.get().stopped());
            throw e;
        }
    }

    Vm stop(Vm vm) {
        VmRuntime runtime = lifecycle.runtime(vm);
        shares.detach(vm.name()); // before the guest goes, so sshfs unmounts cleanly
        if (runtime.instance() != null) {
            backends.vmm(vm.vmm()).stop(runtime.instance(), STOP_GRACE);
        }
        taps.release(vm.name(), runtime.tap());
        ports.remove(vm.name());
        LOG.info("VM {}: stopped", vm.name());
        return lifecycle.record(vm.name(), VmState.STOPPED, null, runtime.stopped());
    }

    Vm restart(Vm vm) {
        return start(vm.state() == VmState.RUNNING ? stop(vm) : vm);
    }

    /** Changes sizes of a stopped VM; the disk only grows (the file system is grown with it). */
    Vm edit(Vm vm, Integer vcpus, Integer memoryMib, Integer diskGib) {
        if (vm.state() != VmState.STOPPED && vm.state() != VmState.FAILED) {
            throw VmException.conflict("VM '" + vm.name() + "' is " + vm.state().wireName() + "; stop it first with 'banger vm stop "
                    + vm.name() + "'");
        }
        int newVcpus = vcpus == null ? vm.vcpus() : vcpus;
        int newMemory = memoryMib == null ? vm.memoryMib() : memoryMib;
        long newDisk = diskGib == null ? vm.diskBytes() : diskGib * VmRules.GIB;
        VmRules.requireSizes(newVcpus, newMemory, newDisk);
        if (newDisk < vm.diskBytes()) {
            throw VmException.invalid("the disk only grows: VM '" + vm.name() + "' has " + vm.diskBytes() / VmRules.GIB
                    + " GiB, asked for " + diskGib + " GiB");
        }
        if (newDisk > vm.diskBytes()) {
            disks.growWork(lifecycle.runtime(vm).workDisk(), newDisk);
        }
        return lifecycle.resize(vm.name(), newVcpus, newMemory, newDisk);
    }
}
