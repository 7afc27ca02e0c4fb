package dev.banger.runtime;

import java.nio.file.Path;

/** Path rules shared by spec, manifest and installer: artifacts live strictly inside the bundle. */
final class BundlePaths {
    static final String MANIFEST = "manifest.json";

    private BundlePaths() {}

    /** A non-empty relative path without {@code ..} segments, so resolving it can never leave the bundle. */
    static boolean isSafeRelative(String path) {
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                return false;
            }
        }
        return !path.equals(MANIFEST);
    }

    static Path resolve(Path root, String relative) {
        if (!isSafeRelative(relative)) {
            throw new IllegalArgumentException("unsafe bundle path: " + relative);
        }
        return root.resolve(relative);
    }
}
