package dev.banger.dns;

import dev.banger.model.ErrorKind;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's built-in DNS server for guests, on UDP and TCP at one address and port (the
 * bridge's gateway address, port 53). It answers {@code A} queries for {@code <vm>.<domain>} from
 * {@link GuestRecords} (NXDOMAIN for unknown guests, an empty NOERROR for other types of known
 * ones) and forwards every other name to the upstream resolvers, answering SERVFAIL when none
 * answers in time. A packet that is not DNS is dropped (UDP) or ends its connection (TCP); the
 * server carries on. Each query is handled on its own virtual thread, with bounded concurrency.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once (idempotent); after {@code close}
 * returns the ports are free again. Thread-safe.
 */
public final class GuestDnsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestDnsServer.class);
    private static final int MAX_UDP_IN_FLIGHT = 256;
    private static final int MAX_TCP_CONNECTIONS = 64;
    private static final int PORT_ZERO_BIND_ATTEMPTS = 5;
    /** A TCP client may stay quiet this long between queries (RFC 7766 suggests seconds). */
    private static final Duration TCP_IDLE = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private enum State { NEW, RUNNING, CLOSED }

    private final GuestDnsSettings settings;
    private final QueryHandler handler;
    private final Semaphore udpInFlight = new Semaphore(MAX_UDP_IN_FLIGHT);
    private final Semaphore tcpSlots = new Semaphore(MAX_TCP_CONNECTIONS);
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

    private State state = State.NEW;
    private DatagramChannel udp;
    private ServerSocketChannel tcp;
    private Thread udpLoop;
    private Thread tcpLoop;
    private InetSocketAddress bound;

    public GuestDnsServer(GuestDnsSettings settings, GuestRecords records) {
        this(settings, records, new ResolverForwarder(settings.upstreams(), settings.upstreamTimeout()));
    }

    GuestDnsServer(GuestDnsSettings settings, GuestRecords records, Forwarder forwarder) {
        this.settings = settings;
        this.handler = new QueryHandler(settings.domainName(), records, forwarder, settings.ttl().toSeconds());
    }

    /**
     * Binds UDP and TCP and starts serving.
     *
     * @throws DnsException when either socket cannot be bound (address not on this host, port taken),
     *                      naming the address; nothing stays bound then
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("guest DNS server already " + (state == State.RUNNING ? "started" : "closed"));
        }
        bind();
        state = State.RUNNING;
        udpLoop = Thread.ofVirtual().name("banger-dns-udp").start(this::serveUdp);
        tcpLoop = Thread.ofVirtual().name("banger-dns-tcp").start(this::serveTcp);
        LOG.info("guest DNS for {} listening on {} (UDP and TCP), forwarding to {}",
                settings.domain(), bound, settings.upstreams());
    }

    /** The address and port actually bound (the real port when the settings asked for port 0). */
    public synchronized InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException("guest DNS server is not started");
        }
        return bound;
    }

    /** The port bound for both UDP and TCP. */
    public int port() {
        return address().getPort();
    }

    /** Stops serving and releases both ports; in-flight answers may be lost. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.CLOSED;
        closeQuietly(udp);
        closeQuietly(tcp);
        for (SocketChannel connection : connections) {
            closeQuietly(connection);
        }
        if (wasRunning) {
            // The JDK frees a socket's port only once no thread is blocked on it.
            join(udpLoop);
            join(tcpLoop);
        }
    }

    private void bind() {
        InetSocketAddress listen = settings.listen();
        int attempts = listen.getPort() == 0 ? PORT_ZERO_BIND_ATTEMPTS : 1;
        IOException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            DatagramChannel datagrams = null;
            ServerSocketChannel server = null;
            try {
                datagrams = DatagramChannel.open(listen.getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                datagrams.bind(listen);
                InetSocketAddress udpAddress = (InetSocketAddress) datagrams.getLocalAddress();
                server = ServerSocketChannel.open();
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                // Same port for TCP as UDP, so that clients can retry truncated answers over TCP.
                server.bind(udpAddress, MAX_TCP_CONNECTIONS);
                udp = datagrams;
                tcp = server;
                bound = udpAddress;
                return;
            } catch (IOException e) {
                last = e;
                closeQuietly(datagrams);
                closeQuietly(server);
            }
        }
        throw new DnsException(ErrorKind.PRECONDITION_FAILED,
                "cannot listen for guest DNS on " + listen + " (UDP and TCP): " + last.getMessage()
                        + "; is the address assigned to a local interface and port " + listen.getPort() + " free?", last);
    }

    private void serveUdp() {
        ByteBuffer buffer = ByteBuffer.allocate(65535);
        while (true) {
            SocketAddress client;
            byte[] packet;
            try {
                buffer.clear();
                client = udp.receive(buffer);
                buffer.flip();
                packet = new byte[buffer.remaining()];
                buffer.get(packet);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!udp.isOpen()) {
                    return;
                }
                LOG.warn("guest DNS: receiving on {} failed: {}", bound, e.toString());
                continue;
            }
            if (!udpInFlight.tryAcquire()) {
                LOG.debug("guest DNS: {} queries in flight, dropping one from {}", MAX_UDP_IN_FLIGHT, client);
                continue;
            }
            Thread.ofVirtual().name("banger-dns-udp-query").start(() -> {
                try {
                    Optional<byte[]> response = handler.respond(packet, true);
                    if (response.isPresent()) {
                        udp.send(ByteBuffer.wrap(response.get()), client);
                    }
                } catch (IOException e) {
                    if (udp.isOpen()) {
                        LOG.debug("guest DNS: answering {} failed: {}", client, e.toString());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("guest DNS: query from {} failed", client, e);
                } finally {
                    udpInFlight.release();
                }
            });
        }
    }

    private void serveTcp() {
        while (true) {
            SocketChannel connection;
            try {
                connection = tcp.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!tcp.isOpen()) {
                    return;
                }
                LOG.warn("guest DNS: accepting on {} failed: {}", bound, e.toString());
                continue;
            }
            if (!tcpSlots.tryAcquire()) {
                closeQuietly(connection);
                continue;
            }
            connections.add(connection);
            if (!tcp.isOpen()) {
                // close() may have run between accept and add; it did not see this connection.
                closeQuietly(connection);
            }
            Thread.ofVirtual().name("banger-dns-tcp-conn").start(() -> {
                try {
                    serveConnection(connection);
                } finally {
                    connections.remove(connection);
                    closeQuietly(connection);
                    tcpSlots.release();
                }
            });
        }
    }

    /** DNS over TCP: each message is preceded by its length in two bytes; a client may send several. */
    private void serveConnection(SocketChannel connection) {
        try {
            connection.socket().setSoTimeout((int) TCP_IDLE.toMillis());
            InputStream raw = connection.socket().getInputStream();
            DataInputStream in = new DataInputStream(raw);
            while (true) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] packet = new byte[length];
                in.readFully(packet);
                Optional<byte[]> response = handler.respond(packet, false);
                if (response.isEmpty()) {
                    return;
                }
                byte[] body = response.get();
                ByteBuffer out = ByteBuffer.allocate(2 + body.length);
                out.putShort((short) body.length).put(body).flip();
                while (out.hasRemaining()) {
                    connection.write(out);
                }
            }
        } catch (IOException e) {
            LOG.debug("guest DNS: TCP connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("guest DNS: TCP query failed", e);
        }
    }

    private static void join(Thread thread) {
        try {
            if (!thread.join(STOP_WAIT)) {
                LOG.warn("guest DNS: {} did not stop within {} ms", thread.getName(), STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("guest DNS: closing {} failed: {}", channel, e.toString());
        }
    }

    @Override
    public String toString() {
        return "GuestDnsServer[" + settings.domain() + " on " + settings.listen() + "]";
    }
}
