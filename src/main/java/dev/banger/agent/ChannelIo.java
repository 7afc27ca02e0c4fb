package dev.banger.agent;

import dev.banger.rpc.LineBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One non-blocking Unix socket connection whose every wait is a {@link Selector#select(long)} bounded
 * by a {@link Deadline}, so no step can hang past the call's deadline. Bytes read ahead of a line are
 * kept for the next read. Not thread-safe: one call, one thread.
 */
final class ChannelIo implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final String target;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8192).flip();

    private ChannelIo(SocketChannel channel, Selector selector, String target) {
        this.channel = channel;
        this.selector = selector;
        this.target = target;
    }

    static ChannelIo connect(Path socket, Deadline deadline) {
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            selector = Selector.open();
            ChannelIo io = new ChannelIo(channel, selector, socket.toString());
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                io.await(SelectionKey.OP_CONNECT, deadline, "connecting to " + socket);
                channel.finishConnect();
            }
            return io;
        } catch (IOException e) {
            closeQuietly(channel, selector);
            throw new AgentException(AgentException.Reason.UNREACHABLE,
                    "cannot connect to the agent socket " + socket + ": " + describe(e)
                            + " (is the VM running, and is this its socket?)", e);
        } catch (RuntimeException e) {
            closeQuietly(channel, selector);
            throw e;
        }
    }

    void write(byte[] bytes, Deadline deadline, String step) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(SelectionKey.OP_WRITE, deadline, step);
                }
            }
        } catch (IOException e) {
            throw failure(step, e);
        }
    }

    /** Tells the peer nothing more will be sent (a half-close); reading stays possible. */
    void shutdownOutput() {
        try {
            channel.shutdownOutput();
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
                if (waitFor(SelectionKey.OP_READ, Math.max(1, deadline.remainingNanos() / 1_000_000))) {
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
            while (true) {
                int n = channel.read(readBuffer);
                if (n != 0) {
                    return n;
                }
                await(SelectionKey.OP_READ, deadline, step);
            }
        } catch (IOException e) {
            throw failure(step, e);
        } finally {
            readBuffer.flip();
        }
    }

    private void await(int op, Deadline deadline, String step) throws IOException {
        while (!waitFor(op, deadline.remainingMillisOrThrow(step))) {
            // Spurious wake-up or time not yet up: the deadline check above ends the loop.
        }
    }

    private boolean waitFor(int op, long millis) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            int ready = selector.select(millis);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while talking to the agent");
            }
            return ready > 0 && (key.readyOps() & op) != 0;
        } finally {
            selector.selectedKeys().clear();
        }
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
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel channel, Selector selector) {
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // Nothing useful to do: the call has already succeeded or failed.
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // As above.
        }
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
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(text.length(), 120);
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
