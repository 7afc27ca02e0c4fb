package dev.banger.host.disk;

import java.nio.file.Path;

/**
 * Checks applied to every path before it reaches a command line: an absolute path starts with
 * {@code /}, so no program can read it as an option, and qcow2 backing references stay valid
 * whatever the working directory. Stateless.
 */
final class DiskArguments {
    private DiskArguments() {}

    static Path absolute(String what, Path path) {
        if (path == null) {
            throw DiskException.invalid(what + " path is missing");
        }
        if (!path.isAbsolute()) {
            throw DiskException.invalid(what + " path must be absolute, got " + path);
        }
        Path normal = path.normalize();
        if (normal.getFileName() == null) {
            throw DiskException.invalid(what + " path must name a file, got " + path);
        }
        return normal;
    }

    static long nonNegativeSize(String what, long sizeBytes) {
        if (sizeBytes < 0) {
            throw DiskException.invalid(what + " must not be negative, got " + sizeBytes);
        }
        return sizeBytes;
    }
}
