package dev.banger.vm.state;

import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.model.Ipv4Subnet;
import dev.banger.store.NewVm;
import dev.banger.store.VmRepository;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of a VM's row and lifecycle state: every state change, and the row's insert and
 * delete, go through here and are checked against {@link VmTransitions}. Everything else reads
 * through it too ({@link #get}, {@link #runtime}). Thread-safe; callers hold the VM's
 * operation lock ({@code VmLocks}), so a check and its write see the same row.
 */
public final class VmLifecycle {
    private final VmRepository vms;
    private final Ipv4Subnet subnet;
    private final VmDirs dirs;

    public VmLifecycle(VmRepository vms, Ipv4Subnet subnet, VmDirs dirs) {
        this.vms = vms;
        this.subnet = subnet;
        this.dirs = dirs;
    }

    /** Stores a new VM in {@code creating}, with its address, MAC and vsock CID allocated. */
    public Vm allocate(NewVm spec) {
        return vms.create(spec, subnet);
    }

    /**
     * Moves {@code vm} to {@code to} with its VMM pid (null when none runs) and runtime (null keeps
     * the stored one).
     *
     * @throws VmException (conflict) when the table does not allow the transition
     */
    public Vm record(String vm, VmState to, Long pid, VmRuntime runtime) {
        String json = runtime == null ? null : runtime.toJson();
        return vms.recordLifecycleIf(vm, VmTransitions.before(to), to, pid, json).orElseGet(() -> {
            // Refused, or no such VM: the row says which (get throws not-found).
            VmTransitions.require(vm, vms.get(vm).state(), to);
            throw VmException.conflict("VM '" + vm + "' changed state while becoming " + to.wireName() + "; try again");
        });
    }

    /** Removes the row: the end of a delete, or of a rolled-back create. */
    public void remove(String vm) {
        vms.delete(vm);
    }

    public Vm resize(String vm, int vcpus, int memoryMib, long diskBytes) {
        return vms.resize(vm, vcpus, memoryMib, diskBytes);
    }

    public Vm get(String vm) {
        return vms.get(vm);
    }

    public Optional<Vm> find(String vm) {
        return vms.find(vm);
    }

    public List<Vm> list() {
        return vms.list();
    }

    /** Whether a VM other than {@code except} (null for none) has a row. */
    public boolean othersExist(String except) {
        return vms.list().stream().anyMatch(vm -> !vm.name().equals(except));
    }

    public VmRuntime runtime(Vm vm) {
        return vms.runtime(vm.name()).map(json -> VmRuntime.fromJson(json, vm.name()))
                .orElseGet(() -> VmRuntime.empty(dirs.of(vm.name())));
    }

    public VmDirs dirs() {
        return dirs;
    }
}
