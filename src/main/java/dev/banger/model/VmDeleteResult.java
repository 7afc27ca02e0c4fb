package dev.banger.model;

import java.util.List;

/**
 * {@code vm.delete}: one outcome per requested name, in request order; a failure on one VM does
 * not stop the others. Immutable value.
 */
public record VmDeleteResult(List<Outcome> outcomes) {
    /**
     * @param name    the VM
     * @param deleted whether it is gone now
     * @param error   why not, or null
     * @param kind    the error's kind wire name, or null
     */
    public record Outcome(String name, boolean deleted, String error, String kind) {}

    public VmDeleteResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean allDeleted() {
        return outcomes.stream().allMatch(Outcome::deleted);
    }
}
