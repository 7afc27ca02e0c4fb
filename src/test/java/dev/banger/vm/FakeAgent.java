package dev.banger.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A guest agent on a Unix socket (as QEMU's virtio-serial socket carries it): answers every
 * {@code GET /healthz} with the JSON its supplier gives at that moment, or with 503 while the
 * supplier gives null (an agent that is not ready). Counts the requests it answered.
 */
final class FakeAgent implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final Supplier<String> health;
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread acceptor;

    FakeAgent(Path socket, Supplier<String> health) {
        this.socket = socket;
        this.health = health;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofPlatform().daemon().name("fake-agent " + socket.getFileName()).start(this::acceptLoop);
    }

    /** The agent's /healthz JSON as the guest writes it (see guest/agent/src/health.c). */
    static String report(boolean sshdListening, boolean workDiskMounted, boolean opencodeListening, String... hostKeys) {
        StringBuilder keys = new StringBuilder();
        for (String key : hostKeys) {
            keys.append(keys.isEmpty() ? "" : ",").append('"').append(key).append('"');
        }
        return "{\"status\":\"" + (sshdListening ? "ok" : "degraded") + "\",\"bootId\":\"b-1\",\"uptimeSeconds\":1.5,"
                + "\"hostname\":\"guest\",\"services\":{\"sshd\":{\"port\":22,\"listening\":" + sshdListening + "},"
                + "\"opencode\":{\"port\":4096,\"listening\":" + opencodeListening + "}},"
                + "\"workDisk\":{\"mountPoint\":\"/root\",\"mounted\":" + workDiskMounted + "},"
                + "\"hostKeys\":[" + keys + "],\"agentVersion\":\"test\"}";
    }

    int answered() {
        return answered.get();
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().start(() -> serve(channel));
            }
        } catch (IOException closed) {
            // The fake was closed.
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            readHead(Channels.newInputStream(channel));
            String body = health.get();
            String response = body == null
                    ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
            ByteBuffer bytes = ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            answered.incrementAndGet();
        } catch (IOException hungUp) {
            // The client gave up; nothing to answer.
        }
    }

    /** Reads up to the blank line that ends the request head, so closing does not reset an unread request. */
    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] seen = head.toByteArray();
            int n = seen.length;
            if (n >= 4 && seen[n - 4] == '\r' && seen[n - 3] == '\n' && seen[n - 2] == '\r' && seen[n - 1] == '\n') {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(5000);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
