package dev.banger.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-terminated UTF-8 lines with a hard length cap, so one client cannot make the
 * daemon buffer without bound. {@code BufferedReader.readLine} has no cap, hence this class.
 * Not thread-safe: one reader per connection.
 */
final class LineReader {
    /** Thrown when a line exceeds the cap; the rest of the connection is unusable. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int limit) {
            super("request line exceeds " + limit + " bytes");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator, or {@code null} at a clean end of stream. */
    String readLine() throws IOException {
        byte[] line = new byte[0];
        int length = 0;
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    if (length + i - start > maxLineBytes) {
                        throw new LineTooLongException(maxLineBytes);
                    }
                    line = append(line, length, i - start);
                    length += i - start;
                    start = i + 1;
                    return decode(line, length);
                }
            }
            int chunk = end - start;
            if (length + chunk > maxLineBytes) {
                throw new LineTooLongException(maxLineBytes);
            }
            line = append(line, length, chunk);
            length += chunk;
            start = 0;
            end = in.read(buffer);
            if (end <= 0) {
                end = 0;
                // A request cut off by a disconnect is dropped: it never completed, so nothing runs.
                return null;
            }
        }
    }

    private byte[] append(byte[] line, int length, int count) {
        byte[] grown = line.length >= length + count ? line : Arrays.copyOf(line, Math.max(length + count, line.length * 2));
        System.arraycopy(buffer, start, grown, length, count);
        return grown;
    }

    private static String decode(byte[] line, int length) {
        int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return new String(line, 0, n, StandardCharsets.UTF_8);
    }
}
