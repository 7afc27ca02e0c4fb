package dev.banger.vm.state;

import dev.banger.model.VmState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which lifecycle state may follow which: the one table {@link VmLifecycle} enforces on every
 * write. A state may always be written again (a new pid or runtime in the same state). Pure.
 */
public final class VmTransitions {
    private static final Map<VmState, Set<VmState>> NEXT = new EnumMap<>(VmState.class);
    /** The table read the other way: the states each state may follow. */
    private static final Map<VmState, Set<VmState>> BEFORE = new EnumMap<>(VmState.class);

    static {
        // A create ends running, or is rolled back (its row deleted) or, after a killed daemon, torn down.
        NEXT.put(VmState.CREATING, EnumSet.of(VmState.CREATING, VmState.RUNNING, VmState.DELETING));
        NEXT.put(VmState.RUNNING, EnumSet.of(VmState.RUNNING, VmState.STOPPED, VmState.FAILED, VmState.DELETING));
        NEXT.put(VmState.STOPPED, EnumSet.of(VmState.STOPPED, VmState.RUNNING, VmState.DELETING));
        NEXT.put(VmState.FAILED, EnumSet.of(VmState.FAILED, VmState.RUNNING, VmState.STOPPED, VmState.DELETING));
        // A delete only ends with the row gone; a killed daemon's next start finishes it.
        NEXT.put(VmState.DELETING, EnumSet.of(VmState.DELETING));
        for (VmState to : VmState.values()) {
            Set<VmState> from = EnumSet.noneOf(VmState.class);
            NEXT.forEach((state, next) -> {
                if (next.contains(to)) {
                    from.add(state);
                }
            });
            BEFORE.put(to, from);
        }
    }

    private VmTransitions() {}

    /** The states from which {@code to} may be written: the guard of {@link VmLifecycle#record}'s write. */
    static Set<VmState> before(VmState to) {
        return BEFORE.get(to);
    }

    static boolean allowed(VmState from, VmState to) {
        return NEXT.get(from).contains(to);
    }

    /** Refuses a transition the table does not allow, naming both states. */
    public static void require(String vm, VmState from, VmState to) {
        if (!allowed(from, to)) {
            throw VmException.conflict("VM '" + vm + "' is " + from.wireName() + " and cannot become " + to.wireName());
        }
    }
}
