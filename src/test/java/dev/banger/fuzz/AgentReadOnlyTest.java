package dev.banger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest agent is read-only: over its {@code --listen-unix} test endpoint, every method other
 * than GET on every path (including traversal and the guest's private files) is refused with a
 * 4xx, only {@code GET /healthz} answers 200, no answer carries a private key, and the guest tree
 * it reads is byte-for-byte unchanged afterwards.
 */
class AgentReadOnlyTest {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final List<String> METHODS = List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "HEAD",
            "get", "GET\u0000", "MKCOL", "PROPPATCH", "X".repeat(40));
    private static final List<String> PATHS = List.of("/healthz", "/", "/healthz/", "/healthz?reboot=1", "/../../etc/shadow",
            "/etc/ssh/ssh_host_ed25519_key", "/root/.ssh/authorized_keys", "/proc/self/mounts", "/healthz%00", "*",
            "http://agent/healthz", "/sync", "/identity", "/" + "a".repeat(3000));

    @TempDir
    Path dir;

    private Process agent;
    private Path socket;
    private Path root;

    @BeforeEach
    void startAgent() throws Exception {
        Path out = PROJECT.resolve("build/dist/agent");
        new ProcessHostCommands().run(Command.of("make", "-s", "-C", PROJECT.resolve("guest/agent").toString(), "OUT=" + out)
                .withTimeout(Duration.ofMinutes(3)));
        root = dir.resolve("guest");
        write("proc/net/tcp", "  sl  local_address rem_address   st\n   0: 00000000:0016 00000000:0000 0A 0 0 0 0 0 1 1\n");
        write("proc/net/tcp6", "  sl  local_address rem_address   st\n");
        write("proc/uptime", "12.34 56.78\n");
        write("proc/sys/kernel/random/boot_id", "0f0e0d0c-1111-2222-3333-444455556666\n");
        write("proc/sys/kernel/hostname", "dev1\n");
        write("proc/self/mounts", "/dev/vdb /root ext4 rw 0 0\n");
        write("etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAAed root@dev1\n");
        write("etc/ssh/ssh_host_ed25519_key", "PRIVATE KEY MUST NOT LEAK\n");
        write("root/.ssh/authorized_keys", "ssh-ed25519 AAAAuser user@host\n");
        socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder(out.resolve("banger-agent").toString(), "--listen-unix", socket.toString(), "--root", root.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket)) {
            assertThat(System.nanoTime()).as("agent socket within 10 s").isLessThan(deadline);
            assertThat(agent.waitFor(20, TimeUnit.MILLISECONDS)).as("agent exited: %s", Files.readString(dir.resolve("agent.log"))).isFalse();
        }
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        agent.destroy();
        if (!agent.waitFor(5, TimeUnit.SECONDS)) {
            agent.destroyForcibly();
        }
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void onlyGetOfHealthzIsAnsweredAndNothingInTheGuestChanges() throws Exception {
        Map<String, String> before = tree();
        List<String> problems = new ArrayList<>();
        int exchanges = 0;
        for (String method : METHODS) {
            for (String path : PATHS) {
                String body = "{\"hostname\":\"pwned\",\"cmd\":\"$(reboot)\"}";
                String response = exchange(method + " " + path + " HTTP/1.1\r\nHost: agent\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
                exchanges++;
                int status = status(response);
                if (status < 400 || status > 505) {
                    problems.add(method + " " + abbreviate(path) + " → " + abbreviate(response));
                }
                if (response.contains("PRIVATE KEY") || response.contains("AAAAuser")) {
                    problems.add(method + " " + abbreviate(path) + " leaked a private file");
                }
            }
        }
        // A query or the absolute form still names /healthz (RFC 9112): the same read-only report, nothing else.
        List<String> healthz = List.of("/healthz?reboot=1", "http://agent/healthz");
        for (String path : PATHS.subList(1, PATHS.size())) {
            String response = exchange("GET " + path + " HTTP/1.1\r\nHost: agent\r\n\r\n");
            if (status(response) == 200 && !(healthz.contains(path) && response.contains("\"bootId\""))) {
                problems.add("GET " + abbreviate(path) + " answered 200: " + abbreviate(response));
            }
        }
        String health = exchange("GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\n");

        assertThat(problems).as("%d write-style exchanges", exchanges).isEmpty();
        assertThat(status(health)).isEqualTo(200);
        assertThat(health).contains("\"hostname\":\"dev1\"").doesNotContain("PRIVATE KEY");
        assertThat(tree()).as("the guest tree is unchanged").isEqualTo(before);
        assertThat(agent.isAlive()).isTrue();
    }

    /** Every file under the fake guest root with its content and modification time. */
    private Map<String, String> tree() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                files.put(root.relativize(p).toString(), Files.isRegularFile(p)
                        ? Files.readString(p) + "@" + Files.getLastModifiedTime(p) : "dir");
            }
        }
        return files;
    }

    /** Sends raw bytes, half-closes and reads the whole answer, all within 5 s. */
    private String exchange(String request) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer buffer = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.shutdownOutput();
                answer.complete(new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                answer.complete("(connection error: " + e.getMessage() + ")");
            }
        });
        return answer.get(5, TimeUnit.SECONDS);
    }

    private static int status(String response) {
        return response.startsWith("HTTP/1.1 ") && response.length() >= 12 ? Integer.parseInt(response.substring(9, 12)) : -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
