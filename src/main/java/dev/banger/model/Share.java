package dev.banger.model;

import java.util.List;
import java.util.Objects;

/**
 * A host directory a VM sees at a path of its own: {@code banger vm create --share} and
 * {@code banger vm share}. The daemon keeps the host path canonical (symlinks resolved when the
 * share was made), so a link changed later cannot redirect it. Immutable value.
 *
 * @param hostPath  absolute directory on the host
 * @param guestPath absolute mount point in the guest
 * @param readOnly  whether the guest may only read (refused on both sides: the guest's mount and the host's server)
 */
public record Share(String hostPath, String guestPath, boolean readOnly) {
    /** Where a share is mounted when the spec names no guest path: {@code /mnt/<basename>}. */
    public static final String DEFAULT_PARENT = "/mnt/";

    public Share {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(guestPath, "guestPath");
    }

    /**
     * Reads {@code HOST_DIR[:GUEST_PATH][:ro|:rw]}, the form the CLI takes. A host path holding
     * {@code :} cannot be written this way and is refused. Checks only the form; the daemon checks
     * the paths themselves.
     *
     * @throws IllegalArgumentException saying which part is wrong
     */
    public static Share parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("a share is HOST_DIR[:GUEST_PATH][:ro], got nothing");
        }
        List<String> parts = List.of(spec.split(":", -1));
        boolean readOnly = false;
        int last = parts.size() - 1;
        if (parts.size() > 1 && (parts.get(last).equals("ro") || parts.get(last).equals("rw"))) {
            readOnly = parts.get(last).equals("ro");
            parts = parts.subList(0, last);
        }
        if (parts.size() > 2) {
            throw new IllegalArgumentException("share '" + spec + "' has too many ':' parts: write HOST_DIR[:GUEST_PATH][:ro]"
                    + " (a host path containing ':' cannot be shared)");
        }
        String host = parts.get(0);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("share '" + spec + "' names no host directory: write HOST_DIR[:GUEST_PATH][:ro]");
        }
        String guest = parts.size() == 2 ? parts.get(1) : defaultGuestPath(host);
        if (guest.isEmpty()) {
            throw new IllegalArgumentException("share '" + spec + "' has an empty guest path: leave it out for "
                    + defaultGuestPath(host) + ", or give an absolute path");
        }
        return new Share(host, guest, readOnly);
    }

    /** {@code /mnt/<last segment of hostPath>}; {@code /mnt/share} for a path with no name ({@code /}). */
    public static String defaultGuestPath(String hostPath) {
        String trimmed = hostPath.replaceAll("/+$", "");
        String base = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return DEFAULT_PARENT + (base.isEmpty() || base.equals(".") || base.equals("..") ? "share" : base);
    }

    /** {@code HOST_DIR:GUEST_PATH[:ro]}, as {@link #parse} reads it. */
    public String spec() {
        return hostPath + ":" + guestPath + (readOnly ? ":ro" : "");
    }
}
