package dev.banger.image;

import java.util.Objects;

/**
 * Per-instance or cached state to clear from a guest root filesystem before it is sealed.
 * Immutable value.
 *
 * @param pattern absolute guest path; a final {@code *} component means every entry of that directory
 * @param action  what to do with each match
 */
public record CleanupPath(String pattern, Action action) {
    /** How a match is cleared. */
    public enum Action {
        /** Remove the file, symlink or directory tree. */
        DELETE,
        /** Keep the file but make it empty (e.g. {@code /etc/machine-id}, which systemd fills at first boot). */
        TRUNCATE
    }

    public CleanupPath {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(action, "action");
        if (!pattern.startsWith("/") || pattern.equals("/") || pattern.equals("/*")) {
            throw new IllegalArgumentException("cleanup pattern must be an absolute path below /: " + pattern);
        }
    }

    static CleanupPath delete(String pattern) {
        return new CleanupPath(pattern, Action.DELETE);
    }

    static CleanupPath truncate(String pattern) {
        return new CleanupPath(pattern, Action.TRUNCATE);
    }
}
