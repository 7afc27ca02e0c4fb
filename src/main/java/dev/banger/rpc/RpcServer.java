package dev.banger.rpc;

import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves JSON-RPC 2.0, one JSON object per line, on a Unix-domain socket: one virtual thread per
 * connection, the peer's credentials checked on every connection. A client that sends garbage, a
 * line over the cap, or disconnects mid-request affects only its own connection.
 * {@link #close()} stops accepting and lets requests in flight finish within a grace period.
 */
public final class RpcServer implements AutoCloseable {
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    private final ServerSocketChannel server;
    private final Path socketPath;
    private final RpcDispatcher dispatcher;
    private final PeerAuthorizer authorizer;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    /** Open connections, mapped to whether a request is in flight on them. */
    private final Map<SocketChannel, AtomicBoolean> open = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closing;

    private RpcServer(ServerSocketChannel server, Path socketPath, RpcDispatcher dispatcher, PeerAuthorizer authorizer) {
        this.server = server;
        this.socketPath = socketPath;
        this.dispatcher = dispatcher;
        this.authorizer = authorizer;
        this.acceptor = Thread.ofPlatform().name("rpc-accept").daemon(false).unstarted(this::acceptLoop);
    }

    /** Pending connections the kernel queues before accept (capped by {@code net.core.somaxconn}). */
    static final int LISTEN_BACKLOG = 1024;

    /**
     * Binds {@code socketPath} (which must not exist) and starts accepting. The caller sets the
     * socket's mode and group right after, before announcing it.
     */
    public static RpcServer start(Path socketPath, RpcDispatcher dispatcher, PeerAuthorizer authorizer) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // A connect to a Unix socket whose backlog is full fails at once (EAGAIN) instead of
            // waiting: the default of 50 refused a quarter of 200 clients connecting together.
            channel.bind(UnixDomainSocketAddress.of(socketPath), LISTEN_BACKLOG);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        RpcServer server = new RpcServer(channel, socketPath, dispatcher, authorizer);
        server.acceptor.start();
        return server;
    }

    public Path socketPath() {
        return socketPath;
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("accept failed: {}", e.getMessage());
                }
                continue;
            }
            open.put(client, new AtomicBoolean(false));
            try {
                connections.execute(() -> serve(client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(client);
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            CallContext caller = peer(client);
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            LineReader reader = new LineReader(in, MAX_REQUEST_BYTES);
            boolean allowed = authorizer.allows(caller);
            AtomicBoolean busy = open.get(client);
            while (!closing) {
                busy.set(false);
                String line;
                try {
                    line = reader.readLine();
                } catch (LineReader.LineTooLongException e) {
                    send(out, dispatcher.errorLine(RpcError.of(RpcErrorCodes.INVALID_REQUEST, ErrorKind.INVALID_ARGUMENT,
                            "invalid request: " + e.getMessage() + " (limit " + MAX_REQUEST_BYTES + ")", null)));
                    return;
                }
                if (line == null) {
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                busy.set(true);
                if (!allowed) {
                    LOG.warn("refused {} (group {})", caller.user(), caller.group());
                    send(out, dispatcher.refuse(line, RpcError.of(ErrorKind.UNAUTHORIZED, authorizer.refusal(caller))));
                    return;
                }
                Optional<String> response = dispatcher.dispatch(line, caller);
                if (response.isPresent()) {
                    send(out, response.get());
                }
            }
        } catch (IOException e) {
            // The client went away (or broke the pipe) mid-conversation: only its connection ends.
            LOG.debug("connection closed: {}", e.getMessage());
        } finally {
            open.remove(client);
        }
    }

    private static CallContext peer(SocketChannel client) throws IOException {
        UnixDomainPrincipal principal = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return new CallContext(principal.user().getName(), principal.group().getName());
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Stops accepting, waits up to {@code grace} for requests in flight, then closes the rest. */
    public void close(Duration grace) {
        closing = true;
        closeQuietly(server);
        connections.shutdown();
        // Idle connections would block shutdown forever; only requests in flight get the grace.
        open.forEach((channel, busy) -> {
            if (!busy.get()) {
                closeQuietly(channel);
            }
        });
        try {
            if (!connections.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                open.keySet().forEach(RpcServer::closeQuietly);
                connections.awaitTermination(2, TimeUnit.SECONDS);
            }
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            java.nio.file.Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", socketPath, e.getMessage());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Already broken; nothing more to release.
        }
    }
}
