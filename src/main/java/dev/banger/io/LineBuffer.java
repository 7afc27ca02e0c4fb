package dev.banger.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts LF-terminated lines out of bytes as they arrive, refusing a line longer than a cap as soon
 * as its first byte too many is seen, so a peer cannot make its reader buffer without bound. It
 * holds only the line under construction and does no I/O: the blocking JSON-RPC reader
 * ({@link LineReader}), the agent's and QMP's selector-driven sockets feed it whatever they read.
 * Lines are returned as bytes without the LF; each caller decodes (UTF-8 or Latin-1) and strips a
 * CR as its protocol says. Not thread-safe: one buffer per connection.
 */
public final class LineBuffer {
    private final int maxLineBytes;
    private byte[] line = new byte[0];
    private int length;

    /** @param maxLineBytes the longest line accepted, not counting its LF */
    public LineBuffer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("a line cap must be positive, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Moves bytes from {@code source} into the line under construction up to and including the
     * first LF; bytes after it stay in {@code source} for the next call.
     *
     * @return the completed line without its LF, or {@code null} when {@code source} ran out first
     * @throws TooLongException when the line grows past the cap, carrying its first {@code maxLineBytes} bytes
     */
    public byte[] take(ByteBuffer source) throws TooLongException {
        while (source.hasRemaining()) {
            byte b = source.get();
            if (b == '\n') {
                byte[] done = Arrays.copyOf(line, length);
                length = 0;
                return done;
            }
            if (length >= maxLineBytes) {
                throw new TooLongException(maxLineBytes, pending());
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(16L, 2L * length)));
            }
            line[length++] = b;
        }
        return null;
    }

    /** The bytes of a line begun but not yet ended, e.g. what a peer sent before closing. */
    public byte[] pending() {
        return Arrays.copyOf(line, length);
    }

    /** A line grew past the cap; the rest of the connection is unusable. */
    public static final class TooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient byte[] start;

        TooLongException(int limit, byte[] start) {
            super("line exceeds " + limit + " bytes");
            this.start = start;
        }

        /** The line's first bytes, up to the cap, for a message that shows what the peer sent. */
        public byte[] start() {
            return start.clone();
        }
    }
}
