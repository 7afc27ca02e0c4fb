package dev.banger.agent;

import dev.banger.io.LineBuffer;
import dev.banger.io.SelectingSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * One agent connection: a {@link SelectingSocket} whose every wait is bounded by the call's
 * {@link Deadline}, so no step can hang past it, with failures as {@link AgentException}s naming
 * the step. Bytes read ahead of a line are kept for the next read. Not thread-safe: one call, one
 * thread.
 */
final class ChannelIo implements AutoCloseable {
    private static final String INTERRUPTED = "interrupted while talking to the agent";

    private final SelectingSocket socket;
    private final String target;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8192).flip();

    private ChannelIo(SelectingSocket socket, String target) {
        this.socket = socket;
        this.target = target;
    }

    static ChannelIo connect(Path socket, Deadline deadline) {
        try {
            return new ChannelIo(SelectingSocket.connect(socket, millis(deadline, "connecting to " + socket), INTERRUPTED),
                    socket.toString());
        } catch (IOException e) {
            throw new AgentException(AgentException.Reason.UNREACHABLE,
                    "cannot connect to the agent socket " + socket + ": " + describe(e)
                            + " (is the VM running, and is this its socket?)", e);
        }
    }

    void write(byte[] bytes, Deadline deadline, String step) {
        try {
            socket.write(ByteBuffer.wrap(bytes), millis(deadline, step));
        } catch (IOException e) {
            throw failure(step, e);
        }
    }

    /** Tells the peer nothing more will be sent (a half-close); reading stays possible. */
    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw failure("half-closing the connection", e);
        }
    }

    /**
     * Reads one LF-terminated line of at most {@code maxBytes} without its terminator, or returns
     * {@code null} when the peer closes first; {@code partial} receives what arrived before a close.
     */
    String readLine(int maxBytes, Deadline deadline, String step, StringBuilder partial) {
        LineBuffer lines = new LineBuffer(maxBytes);
        while (true) {
            byte[] line;
            try {
                line = lines.take(readBuffer);
            } catch (LineBuffer.TooLongException e) {
                throw new AgentException(AgentException.Reason.PROTOCOL,
                        "agent at " + target + " sent a line longer than " + maxBytes + " bytes while " + step
                                + ": " + printable(latin1(e.start(), e.start().length)));
            }
            if (line != null) {
                return stripCr(latin1(line, line.length));
            }
            if (fill(deadline, step) < 0) {
                byte[] rest = lines.pending();
                partial.append(latin1(rest, rest.length));
                return null;
            }
        }
    }

    /** An InputStream over the rest of the connection; every read honours {@code deadline}. */
    InputStream inputStream(Deadline deadline, String step) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!readBuffer.hasRemaining()) {
                    try {
                        if (fill(deadline, step) < 0) {
                            return -1;
                        }
                    } catch (AgentException e) {
                        // Surfaces through the HTTP parser unchanged: see HttpAgentClient.unwrap.
                        throw new AgentIoException(e);
                    }
                }
                int n = Math.min(len, readBuffer.remaining());
                readBuffer.get(b, off, n);
                return n;
            }
        };
    }

    /** Waits until the peer sends something or closes; false when {@code deadline} passes first. */
    boolean awaitData(Deadline deadline) {
        if (readBuffer.hasRemaining()) {
            return true;
        }
        try {
            while (!deadline.expired()) {
                if (socket.waitFor(SelectionKey.OP_READ, Math.max(1, deadline.remainingNanos() / 1_000_000))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw failure("waiting for the agent to answer", e);
        }
    }

    /** Reads more into the buffer: the count, or -1 at end of stream. */
    private int fill(Deadline deadline, String step) {
        readBuffer.compact();
        try {
            return socket.read(readBuffer, millis(deadline, step));
        } catch (IOException e) {
            throw failure(step, e);
        } finally {
            readBuffer.flip();
        }
    }

    /** The wait budget of one select: what is left of {@code deadline}, which throws naming {@code step} once spent. */
    private static LongSupplier millis(Deadline deadline, String step) {
        return () -> deadline.remainingMillisOrThrow(step);
    }

    private AgentException failure(String step, IOException e) {
        if (e instanceof InterruptedIOException) {
            return new AgentException(AgentException.Reason.DEADLINE_EXCEEDED,
                    "interrupted while " + step + " with the agent at " + target, e);
        }
        return new AgentException(AgentException.Reason.UNREACHABLE,
                "connection to the agent at " + target + " failed while " + step + ": " + describe(e), e);
    }

    @Override
    public void close() {
        socket.close();
    }

    private static String stripCr(String line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line;
    }

    static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Quotes text received from a guest so that control bytes cannot garble a message or a log. */
    static String printable(String text) {
        return printable(text, 120);
    }

    /** {@link #printable(String)} keeping up to {@code max} characters (a guest's error message may be long). */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(text.length(), max);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    static String latin1(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Carries an {@link AgentException} through APIs that only let {@link IOException} out. */
    static final class AgentIoException extends IOException {
        private final AgentException agentException;

        AgentIoException(AgentException cause) {
            super(cause.getMessage(), cause);
            this.agentException = cause;
        }

        AgentException agentException() {
            return agentException;
        }
    }
}
