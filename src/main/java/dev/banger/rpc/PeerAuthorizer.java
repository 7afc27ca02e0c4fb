package dev.banger.rpc;

import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a socket peer may talk to the daemon: root always, anyone else only when the
 * allowed group is their primary group or one of their supplementary groups. SO_PEERCRED carries
 * only the primary group, so supplementary groups come from the {@code groupsOf} lookup.
 * Thread-safe when {@code groupsOf} is.
 */
public final class PeerAuthorizer {
    private final String allowedGroup;
    private final Function<String, Set<String>> groupsOf;

    public PeerAuthorizer(String allowedGroup, Function<String, Set<String>> groupsOf) {
        this.allowedGroup = allowedGroup;
        this.groupsOf = groupsOf;
    }

    /** Whether {@code caller} may call; never throws — a failed lookup means no. */
    public boolean allows(CallContext caller) {
        if ("root".equals(caller.user()) || "0".equals(caller.user())) {
            return true;
        }
        if (allowedGroup == null || allowedGroup.isBlank()) {
            return false;
        }
        if (allowedGroup.equals(caller.group())) {
            return true;
        }
        try {
            return groupsOf.apply(caller.user()).contains(allowedGroup);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public String refusal(CallContext caller) {
        return "permission denied: user '" + caller.user() + "' is neither root nor a member of group '"
                + allowedGroup + "'; ask an administrator to run: usermod -aG " + allowedGroup + " " + caller.user()
                + " (then log in again)";
    }
}
