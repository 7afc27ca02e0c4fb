package dev.banger.host.net;

import java.util.List;

/**
 * The outcome of {@link HostNetwork#removeNat(NatHandles)}: what was deleted, what was already
 * gone, what was skipped because it does not look like banger's, and what could not be deleted.
 * Removal never throws for these cases; callers log or report the lists. Immutable value.
 */
public record NatRemoval(List<String> removed, List<String> alreadyGone, List<String> skipped, List<String> failed) {
    public static final NatRemoval NOTHING = new NatRemoval(List.of(), List.of(), List.of(), List.of());

    public NatRemoval {
        removed = List.copyOf(removed);
        alreadyGone = List.copyOf(alreadyGone);
        skipped = List.copyOf(skipped);
        failed = List.copyOf(failed);
    }

    public boolean clean() {
        return failed.isEmpty();
    }
}
