package dev.banger.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * One non-blocking Unix socket connection whose every wait is a {@link Selector#select(long)}, so
 * a peer that stops answering cannot hang its caller past the caller's deadline. Shared by the
 * agent client and QMP, which cut lines from what it reads with a {@link LineBuffer}. How long a
 * wait may last, and what is thrown when time is up, is each caller's: every wait asks a
 * {@link LongSupplier} for the milliseconds it may take, which throws the caller's own timeout.
 * An interrupt during a wait becomes an {@link InterruptedIOException} with the caller's message
 * (the thread's flag kept set). Not thread-safe: one connection, one caller at a time.
 */
public final class SelectingSocket implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final String interrupted;

    private SelectingSocket(SocketChannel channel, Selector selector, String interrupted) {
        this.channel = channel;
        this.selector = selector;
        this.interrupted = interrupted;
    }

    /**
     * Connects to {@code socket}, waiting for the connection as {@code millis} allows.
     *
     * @param interrupted the message of the {@link InterruptedIOException} an interrupt becomes
     * @throws IOException when nothing listens there; the socket is closed again
     */
    public static SelectingSocket connect(Path socket, LongSupplier millis, String interrupted) throws IOException {
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectingSocket connected = new SelectingSocket(channel, selector, interrupted);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                connected.await(SelectionKey.OP_CONNECT, millis);
                channel.finishConnect();
            }
            return connected;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, selector);
            throw e;
        }
    }

    /** Writes all of {@code buffer}, waiting while the peer's window is full. */
    public void write(ByteBuffer buffer, LongSupplier millis) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, millis);
            }
        }
    }

    /**
     * Reads what has arrived into {@code buffer}, waiting for something when nothing has.
     *
     * @return the count read, or -1 when the peer has closed
     */
    public int read(ByteBuffer buffer, LongSupplier millis) throws IOException {
        while (true) {
            int n = channel.read(buffer);
            if (n != 0) {
                return n;
            }
            await(SelectionKey.OP_READ, millis);
        }
    }

    /** Tells the peer nothing more will be sent (a half-close); reading stays possible. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Waits up to {@code millis} for {@code op} ({@link SelectionKey#OP_READ}…); false when time passed first. */
    public boolean waitFor(int op, long millis) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            int ready = selector.select(millis);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(interrupted);
            }
            return ready > 0 && (key.readyOps() & op) != 0;
        } finally {
            selector.selectedKeys().clear();
        }
    }

    /** Waits until {@code op} is ready, asking {@code millis} before each select; it throws when time is up. */
    public void await(int op, LongSupplier millis) throws IOException {
        while (!waitFor(op, millis.getAsLong())) {
            // Spurious wake-up or time not yet up: millis throws once it is.
        }
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
}
