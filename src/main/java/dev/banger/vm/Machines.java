package dev.banger.vm;

import dev.banger.capability.Capability;
import dev.banger.capability.MachineDevices;
import dev.banger.capability.VmContext;
import dev.banger.guestconfig.ConfigDrive;
import dev.banger.guestconfig.GuestConfig;
import dev.banger.guestconfig.GuestConfigBuilder;
import dev.banger.guestconfig.KernelCommandLine;
import dev.banger.model.Image;
import dev.banger.model.Vm;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stored VM, its image and its host runtime into the backend-neutral {@link MachineSpec}:
 * the root disk first, then what the capabilities contribute, the guest configuration rendered
 * onto the kernel command line for the backend, the NIC on the VM's TAP. Create and start share
 * it, so a restarted VM boots exactly like a new one. Thread-safe.
 */
final class Machines {
    private final VmHost host;
    private final int agentPort;

    Machines(VmHost host, int agentPort) {
        this.host = host;
        this.agentPort = agentPort;
    }

    VmContext context(Vm vm, VmRuntime runtime) {
        return new VmContext(vm.name(), vm.network().ip(), host.prefixLength(), runtime.vmDir(), runtime.workDisk());
    }

    /** Runs every capability's host preparation; on failure, tears down those already prepared. */
    void prepare(VmContext context) {
        List<Capability> done = new ArrayList<>();
        try {
            for (Capability capability : host.capabilities()) {
                capability.prepare(context);
                done.add(capability);
            }
        } catch (RuntimeException e) {
            teardown(context, done);
            throw e;
        }
    }

    /** Waits for host state the capabilities finish in the background; before the guest's boot is awaited. */
    void awaitReady(VmContext context) {
        for (Capability capability : host.capabilities()) {
            capability.awaitReady(context);
        }
    }

    void teardown(VmContext context) {
        teardown(context, host.capabilities());
    }

    private static void teardown(VmContext context, List<Capability> capabilities) {
        for (Capability capability : capabilities.reversed()) {
            capability.teardown(context);
        }
    }

    MachineSpec spec(Vm vm, Image image, VmRuntime runtime) {
        MachineDevices devices = new MachineDevices();
        devices.drive(new MachineSpec.Drive("root", runtime.rootDisk().path(), runtime.rootDisk().format(), false));
        GuestConfig guest = contribute(vm, runtime, devices);
        return new MachineSpec(vm.name(), runtime.vmDir(), vm.vcpus(), vm.memoryMib(), image.kernel(), image.initrd(),
                kernelLine(vm.vmm()).render(guest), devices.drives(), new MachineSpec.Nic(runtime.tap(), vm.network().mac()),
                vm.network().vsockCid(), agentPort);
    }

    /** What a warm machine's guest reads instead of the kernel command line it was started with: {@link ConfigDrive}. */
    byte[] configDrive(Vm vm, VmRuntime runtime) {
        return ConfigDrive.content(contribute(vm, runtime, new MachineDevices()), vm.network().mac());
    }

    private GuestConfig contribute(Vm vm, VmRuntime runtime, MachineDevices devices) {
        VmContext context = context(vm, runtime);
        GuestConfigBuilder guest = GuestConfig.builder();
        for (Capability capability : host.capabilities()) {
            capability.contribute(context, devices, guest.from(capability.name()));
        }
        return guest.build();
    }

    /** The backend's kernel command line. */
    static KernelCommandLine kernelLine(String backend) {
        return backend.equals(VmmKind.FIRECRACKER.wireName()) ? KernelCommandLine.FIRECRACKER : KernelCommandLine.QEMU_MICROVM;
    }
}
