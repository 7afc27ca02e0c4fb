package dev.banger.store;

import dev.banger.model.VmState;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts for a status page, taken in one consistent read. Immutable value.
 *
 * @param images            registered images
 * @param vmsByState        VMs per state; every state is present, with 0 when none
 * @param runningOperations operations still running
 */
public record StoreSummary(long images, Map<VmState, Long> vmsByState, long runningOperations) {
    public StoreSummary {
        EnumMap<VmState, Long> complete = new EnumMap<>(VmState.class);
        for (VmState state : VmState.values()) {
            complete.put(state, vmsByState.getOrDefault(state, 0L));
        }
        vmsByState = Map.copyOf(complete);
    }

    public long vms() {
        return vmsByState.values().stream().mapToLong(Long::longValue).sum();
    }
}
