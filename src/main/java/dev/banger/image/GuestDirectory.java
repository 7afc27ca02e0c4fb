package dev.banger.image;

/**
 * A directory a customisation stage creates (or re-modes) in a guest root filesystem before its
 * files are written. Immutable value.
 *
 * @param path absolute path inside the guest
 * @param mode permission bits, e.g. {@code 0700}
 */
public record GuestDirectory(String path, int mode) {
    public GuestDirectory {
        checkPath(path);
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " of " + path + " is not a permission mode");
        }
    }

    static void checkPath(String path) {
        if (path == null || !path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.contains("//")) {
            throw new IllegalArgumentException("guest path must be absolute and normalised: " + path);
        }
    }
}
