package dev.banger.vm.state;

import dev.banger.model.VmState;
import java.util.function.UnaryOperator;

/**
 * The runtime of a VM being created or booted, written to its row after every host change, so a
 * daemon killed mid-way leaves reconcile the full list of what to undo. One operation owns it;
 * its concurrent stages share it. Thread-safe.
 */
public final class RuntimeRecord {
    private final VmLifecycle lifecycle;
    private final String vm;
    private final VmState state;
    private VmRuntime current;

    /** @param state the state every write records (creating for a create, running for a start) */
    public RuntimeRecord(VmLifecycle lifecycle, String vm, VmState state, VmRuntime initial) {
        this.lifecycle = lifecycle;
        this.vm = vm;
        this.state = state;
        this.current = initial;
    }

    public synchronized VmRuntime get() {
        return current;
    }

    /** Applies one stage's change and writes the result; stages running side by side each add their own part. */
    public synchronized void record(UnaryOperator<VmRuntime> change, Long pid) {
        VmRuntime next = change.apply(current);
        lifecycle.record(vm, state, pid, next);
        current = next;
    }
}
