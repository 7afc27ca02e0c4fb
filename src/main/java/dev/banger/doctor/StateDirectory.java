package dev.banger.doctor;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates the state directory (mode 0700) when it is missing; idempotent and safe to race. */
final class StateDirectory {
    private StateDirectory() {
    }

    /** @return whether this call created the directory */
    static boolean ensure(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists but is not a directory");
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return true;
    }

    /** The directory itself, or its nearest ancestor that exists (for measuring the file system). */
    static Path nearestExisting(Path dir) {
        Path candidate = dir.toAbsolutePath();
        while (candidate != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate == null ? Path.of("/") : candidate;
    }
}
