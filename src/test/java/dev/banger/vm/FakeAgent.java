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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A guest agent on a Unix socket (as QEMU's virtio-serial socket carries it): answers every
 * {@code GET /healthz} with the JSON its supplier gives at that moment, or with 503 while the
 * supplier gives null (an agent that is not ready). Counts the requests it answered. A
 * {@code POST /identity} is recorded as its {@code key=value} fields and answered 200, or with the
 * failure a test scripted ({@link #failIdentity}). Thread-safe.
 */
final class FakeAgent implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final Supplier<String> health;
    private final AtomicInteger answered = new AtomicInteger();
    private final List<Map<String, String>> identities = new CopyOnWriteArrayList<>();
    private final AtomicReference<IdentityFailure> identityFailure = new AtomicReference<>();
    private final Thread acceptor;

    /** How the next {@code POST /identity} requests are answered instead of 200. */
    record IdentityFailure(int status, String error) {}

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
        return report("guest", sshdListening, workDiskMounted, opencodeListening, hostKeys);
    }

    /** The same, from a guest named {@code hostname}. */
    static String report(String hostname, boolean sshdListening, boolean workDiskMounted, boolean opencodeListening,
            String... hostKeys) {
        StringBuilder keys = new StringBuilder();
        for (String key : hostKeys) {
            keys.append(keys.isEmpty() ? "" : ",").append('"').append(key).append('"');
        }
        return "{\"status\":\"" + (sshdListening ? "ok" : "degraded") + "\",\"bootId\":\"b-1\",\"uptimeSeconds\":1.5,"
                + "\"hostname\":\"" + hostname + "\",\"services\":{\"sshd\":{\"port\":22,\"listening\":" + sshdListening + "},"
                + "\"opencode\":{\"port\":4096,\"listening\":" + opencodeListening + "}},"
                + "\"workDisk\":{\"mountPoint\":\"/root\",\"mounted\":" + workDiskMounted + "},"
                + "\"hostKeys\":[" + keys + "],\"agentVersion\":\"test\"}";
    }

    int answered() {
        return answered.get();
    }

    /** The identities received, in order, each as its wire fields ({@code hostname}, {@code mac}, ...). */
    List<Map<String, String>> identities() {
        return List.copyOf(identities);
    }

    /**
     * From now on answers {@code POST /identity} with {@code status} and {@code {"error":error}}
     * (e.g. 500 and {@code "apply: ... exited with 3"}); null goes back to answering 200. The
     * identity is still recorded.
     */
    void failIdentity(IdentityFailure failure) {
        identityFailure.set(failure);
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
            InputStream in = Channels.newInputStream(channel);
            List<String> head = readHead(in);
            String response;
            if (!head.isEmpty() && head.getFirst().startsWith("POST /identity ")) {
                response = identity(new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8));
            } else {
                String body = health.get();
                response = body == null
                        ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        : json(200, "OK", body);
            }
            ByteBuffer bytes = ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            answered.incrementAndGet();
        } catch (IOException hungUp) {
            // The client gave up; nothing to answer.
        }
    }

    private String identity(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        identities.add(Map.copyOf(fields));
        IdentityFailure failure = identityFailure.get();
        if (failure == null) {
            return json(200, "OK", "{\"applied\":true}");
        }
        String error = failure.error().replace("\\", "\\\\").replace("\"", "\\\"");
        return json(failure.status(), "Scripted", "{\"error\":\"" + error + "\"}");
    }

    private static String json(int status, String reason, String body) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    }

    private static int contentLength(List<String> head) {
        for (String line : head) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    /** Reads up to the blank line that ends the request head, so closing does not reset an unread request. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] seen = head.toByteArray();
            int n = seen.length;
            if (n >= 4 && seen[n - 4] == '\r' && seen[n - 3] == '\n' && seen[n - 2] == '\r' && seen[n - 1] == '\n') {
                break;
            }
        }
        return new ArrayList<>(List.of(head.toString(StandardCharsets.ISO_8859_1).split("\r\n")));
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
