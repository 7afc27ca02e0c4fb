package dev.banger.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Unix socket server standing in for Firecracker's hybrid vsock socket (or QEMU's serial socket):
 * connection number i is served by script i (the last script serves any further ones), and every
 * line it reads is recorded. A stalling script blocks until {@link #close()}, bounded in any case.
 */
final class FakeAgentSocket implements AutoCloseable {
    /** What one accepted connection does. */
    interface Script {
        void serve(Peer peer) throws IOException;
    }

    private final ServerSocketChannel server;
    private final List<Script> scripts;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread acceptor;
    private volatile int connections;

    FakeAgentSocket(Path path, Script... scripts) throws IOException {
        this.scripts = List.of(scripts);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        this.acceptor = Thread.ofPlatform().daemon().name("fake-agent-acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel channel = server.accept();
                accepted.add(channel);
                Script script = scripts.get(Math.min(connections, scripts.size() - 1));
                connections++;
                Thread.ofVirtual().start(() -> {
                    try (channel) {
                        script.serve(new Peer(channel));
                    } catch (IOException e) {
                        // The client hung up or the fake was closed: that ends the conversation.
                    }
                });
            }
        } catch (IOException e) {
            // Closed.
        }
    }

    /** Every line the clients sent, in order, across connections. */
    List<String> received() {
        return List.copyOf(received);
    }

    int connections() {
        return connections;
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (SocketChannel channel : accepted) {
            channel.close();
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's end of one connection: blocking reads and writes. */
    final class Peer {
        private final SocketChannel channel;
        private final InputStream in;

        Peer(SocketChannel channel) {
            this.channel = channel;
            this.in = Channels.newInputStream(channel);
        }

        /** Reads one line (without its LF, CR kept out), records it, or returns null at end of stream. */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            received.add(text);
            return text;
        }

        /** Reads an HTTP request head up to its blank line; returns its lines. */
        List<String> readHead() throws IOException {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                lines.add(line);
            }
            return lines;
        }

        /** Reads {@code CONNECT <port>} and answers as Firecracker does once the guest accepted. */
        void acceptHandshake() throws IOException {
            String line = readLine();
            if (line == null || !line.startsWith("CONNECT ")) {
                throw new IOException("expected CONNECT, got " + line);
            }
            write("OK 1073741824\n");
        }

        void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        /** Sends a complete HTTP response with a Content-Length. */
        void respond(int status, String reason, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n");
            write(bytes);
        }

        /** {@link #respond} with an {@code X-Request-Id} header, as the agent echoes it. */
        void respondTo(String requestId, int status, String reason, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write("HTTP/1.1 " + status + " " + reason + "\r\nX-Request-Id: " + requestId + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n");
            write(bytes);
        }

        /** Says nothing until the fake is closed (bounded, so a broken test cannot hang the build). */
        void stall() throws IOException {
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stall over");
        }
    }
}
