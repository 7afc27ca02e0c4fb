package dev.banger.host;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The end of a log file, for error messages: what a VMM, a guest console or the daemon said last
 * before something went wrong. Reads at most a given number of bytes from the end, so a huge log
 * costs no more than a small one; each caller decides how to label it and what to say when there
 * is no log. Immutable; {@link #read} is thread-safe and works on a log still being written.
 *
 * @param text      the last bytes of the file decoded as UTF-8 (a character cut at the start shows as U+FFFD)
 * @param truncated whether the file holds more than {@code text}, before it
 */
public record LogTail(String text, boolean truncated) {
    /**
     * The last {@code maxBytes} of {@code log}.
     *
     * @throws IOException when the file is missing or cannot be read; a missing file's message is
     *                     {@code "<path> (No such file or directory)"}
     */
    public static LogTail read(Path log, int maxBytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - maxBytes);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            int filled = 0;
            // A log truncated meanwhile ends the read early rather than failing it.
            for (int n; filled < bytes.length && (n = file.read(bytes, filled, bytes.length - filled)) > 0; ) {
                filled += n;
            }
            return new LogTail(new String(bytes, 0, filled, StandardCharsets.UTF_8), start > 0);
        }
    }

    /** The text with a leading {@code …} when the file holds more before it. */
    public String marked() {
        return truncated ? "…" + text : text;
    }
}
