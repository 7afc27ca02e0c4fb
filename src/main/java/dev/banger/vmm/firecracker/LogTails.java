package dev.banger.vmm.firecracker;

import dev.banger.host.LogTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The ends of Firecracker's logs, appended to error messages, each under a header naming its file. Stateless and thread-safe. */
final class LogTails {
    static final int MAX_BYTES = 4096;

    private LogTails() {
    }

    /** The last {@link #MAX_BYTES} of each non-empty log, each under a header naming the file; empty when none has content. */
    static String of(List<Path> logs) {
        StringBuilder out = new StringBuilder();
        for (Path log : logs) {
            String tail = tail(log);
            if (!tail.isBlank()) {
                out.append("\n--- end of ").append(log).append(" ---\n").append(tail.stripTrailing());
            }
        }
        return out.toString();
    }

    private static String tail(Path log) {
        if (!Files.isRegularFile(log)) {
            return "";
        }
        try {
            return LogTail.read(log, MAX_BYTES).marked();
        } catch (IOException e) {
            return "(could not read: " + e.getMessage() + ")";
        }
    }
}
