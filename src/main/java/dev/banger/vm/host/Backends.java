package dev.banger.vm.host;

import dev.banger.guestconfig.KernelCommandLine;
import dev.banger.vm.state.VmException;
import dev.banger.vmm.BackendChoice;
import dev.banger.vmm.BackendChooser;
import dev.banger.vmm.Vmm;
import java.util.Map;
import java.util.Optional;

/**
 * The VMM backends this daemon drives, by the name VMs record, and the choice each new VM gets.
 * What a backend can do is asked of the {@link Vmm} itself, never of its name. Thread-safe.
 */
public final class Backends {
    private final Map<String, Vmm> byName;
    private final BackendChooser newVms;

    /** @param newVms must only name backends in {@code byName} */
    public Backends(Map<String, Vmm> byName, BackendChooser newVms) {
        this.byName = Map.copyOf(byName);
        this.newVms = newVms;
    }

    /** The backend a VM was created with. */
    public Vmm vmm(String backend) {
        Vmm vmm = byName.get(backend);
        if (vmm == null) {
            throw VmException.precondition("this daemon has no '" + backend + "' backend; configure it (vmm = \"" + backend
                    + "\" needs its binary) to manage VMs created with it");
        }
        return vmm;
    }

    /**
     * The backend and acceleration of a VM created now; may wait for KVM's bounded test boot when
     * no verdict is recorded yet.
     *
     * @throws dev.banger.vmm.VmmException ({@code precondition-failed}) when no backend can run new VMs, saying why
     */
    public BackendChoice choose() {
        return newVms.choose();
    }

    /** The backend and acceleration of a VM created now, when known without a test boot. */
    public Optional<BackendChoice> known() {
        return newVms.known();
    }

    /** The backend new VMs get, when it is known without a test boot (the warm pool must not start one). */
    public Optional<Vmm> newVmBackend() {
        return newVms.known().map(choice -> byName.get(choice.backend()));
    }

    /** The kernel command line of the flavour {@code vmm} boots. */
    public static KernelCommandLine kernelLine(Vmm vmm) {
        return switch (vmm.kernelFlavour()) {
            case FIRECRACKER -> KernelCommandLine.FIRECRACKER;
            case QEMU_MICROVM -> KernelCommandLine.QEMU_MICROVM;
        };
    }
}
