package dev.banger.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files a process holds open, as {@code /proc/PID/fd} names them: by their current path, so a
 * file renamed (or a directory moved) since it was opened is found where it is now. Stateless.
 */
public final class OpenFiles {
    private OpenFiles() {}

    /**
     * Whether the process at {@code proc} ({@code /proc/PID}) holds a file open whose path matches.
     *
     * @throws IOException when the process is gone or its descriptors cannot be read (not root)
     */
    public static boolean anyMatch(Path proc, Predicate<Path> path) throws IOException {
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (path.test(Files.readSymbolicLink(fd))) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while we looked
                }
            }
        }
        return false;
    }
}
