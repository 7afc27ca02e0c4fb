package dev.banger.vmm.firecracker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of Firecracker's logs, appended to error messages. Stateless and thread-safe. */
final class LogTail {
    static final int MAX_BYTES = 4096;

    private LogTail() {
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
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return start > 0 ? "…" + text : text;
        } catch (IOException e) {
            return "(could not read: " + e.getMessage() + ")";
        }
    }
}
