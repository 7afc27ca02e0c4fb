package dev.banger.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.HealthReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real guest agent (built by its Makefile) in its {@code --listen-unix} test mode over a
 * fake {@code /proc} and {@code /etc/ssh}, and talks to it with the real client and with raw bytes.
 */
class AgentBinaryTest {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final String TCP_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private static Path binary;

    @TempDir
    Path dir;

    private Process agent;
    private Path socket;

    @BeforeAll
    static void buildAgent() {
        // make is incremental: this rebuilds only when the C sources changed since the last build.
        Path out = PROJECT.resolve("build/dist/agent");
        new ProcessHostCommands().run(Command.of("make", "-C", PROJECT.resolve("guest/agent").toString(), "OUT=" + out)
                .withTimeout(Duration.ofMinutes(3)));
        binary = out.resolve("banger-agent");
        assertThat(Files.isExecutable(binary)).as("agent binary at %s", binary).isTrue();
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(5, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
                agent.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A guest with sshd on 22 (IPv4) and opencode on 4096 (IPv6), /root mounted and two host keys. */
    private Path healthyRoot() throws IOException {
        Path root = dir.resolve("root");
        write(root, "proc/net/tcp", TCP_HEADER
                + "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
                + "   1: 0100007F:2328 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n");
        write(root, "proc/net/tcp6", TCP_HEADER
                + "   0: 00000000000000000000000000000000:1000 00000000000000000000000000000000:0000 0A 00000000:00000000\n");
        write(root, "proc/uptime", "12.34 56.78\n");
        write(root, "proc/sys/kernel/random/boot_id", "0f0e0d0c-1111-2222-3333-444455556666\n");
        write(root, "proc/sys/kernel/hostname", "dev1\n");
        write(root, "proc/self/mounts", "/dev/vda / ext4 ro 0 0\n/dev/vdb /root ext4 rw 0 0\n");
        write(root, "etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa AAAArsa root@dev1\n");
        write(root, "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAAed root@dev1\n");
        write(root, "etc/ssh/ssh_host_ed25519_key", "PRIVATE KEY MUST NOT LEAK\n");
        return root;
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Starts the agent and returns once it reports that it is serving (bounded). */
    private void startAgent(Path root) throws IOException, InterruptedException {
        socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder(binary.toString(), "--listen-unix", socket.toString(), "--root", root.toString())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The agent was stopped.
            }
        });
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            if (line.contains("ready") || line.contains("serving")) {
                return;
            }
        }
        throw new AssertionError("agent did not report that it serves within 10 s; output: " + seen);
    }

    /** Sends raw bytes, half-closes, and returns everything the agent answered (bounded). */
    private String rawExchange(String request) {
        Deadline deadline = Deadline.after(Duration.ofSeconds(5), socket.toString());
        try (ChannelIo io = ChannelIo.connect(socket, deadline)) {
            io.write(request.getBytes(StandardCharsets.ISO_8859_1), deadline, "sending");
            io.shutdownOutput();
            return new String(io.inputStream(deadline, "reading").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int status(String response) {
        assertThat(response).startsWith("HTTP/1.1 ");
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void healthReportDescribesTheGuestFromItsProcAndSshFiles() throws Exception {
        startAgent(healthyRoot());

        HealthReport report = HttpAgentClient.overUnixSocket(socket).health(Duration.ofSeconds(5));

        assertThat(report.legacy()).isFalse();
        assertThat(report.status()).isEqualTo(HealthReport.Status.OK);
        assertThat(report.bootId()).isEqualTo("0f0e0d0c-1111-2222-3333-444455556666");
        assertThat(report.uptime()).isEqualTo(Duration.ofMillis(12340));
        assertThat(report.hostname()).isEqualTo("dev1");
        assertThat(report.service("sshd")).contains(new HealthReport.Service(22, true));
        assertThat(report.service("opencode")).contains(new HealthReport.Service(4096, true));
        assertThat(report.workDisk()).isEqualTo(new HealthReport.WorkDisk("/root", true));
        assertThat(report.hostKeys()).containsExactlyInAnyOrder("ssh-ed25519 AAAAed root@dev1", "ssh-rsa AAAArsa root@dev1");
    }

    @Test
    void healthzJsonHasTheDocumentedShape() throws Exception {
        startAgent(healthyRoot());

        String response = rawExchange("GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\n");

        assertThat(status(response)).isEqualTo(200);
        assertThat(response).containsIgnoringCase("\r\nContent-Type: application/json");
        JsonNode json = new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(json.get("status").isTextual()).isTrue();
        assertThat(json.get("bootId").isTextual()).isTrue();
        assertThat(json.get("uptimeSeconds").isNumber()).isTrue();
        assertThat(json.get("hostname").isTextual()).isTrue();
        assertThat(json.get("services").get("sshd").get("port").asInt()).isEqualTo(22);
        assertThat(json.get("services").get("sshd").get("listening").isBoolean()).isTrue();
        assertThat(json.get("services").get("opencode").get("port").asInt()).isEqualTo(4096);
        assertThat(json.get("workDisk").get("mountPoint").asText()).isEqualTo("/root");
        assertThat(json.get("workDisk").get("mounted").isBoolean()).isTrue();
        assertThat(json.get("hostKeys").isArray()).isTrue();
        assertThat(response).doesNotContain("PRIVATE KEY");
    }

    @Test
    void guestWithoutSshdListeningIsDegraded() throws Exception {
        Path root = healthyRoot();
        write(root, "proc/net/tcp", TCP_HEADER);
        startAgent(root);

        HealthReport report = HttpAgentClient.overUnixSocket(socket).health(Duration.ofSeconds(5));

        assertThat(report.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(report.listening("sshd")).isFalse();
        assertThat(report.listening("opencode")).isTrue();
    }

    @Test
    void hostnameWithQuotesAndControlCharactersStaysValidJson() throws Exception {
        Path root = healthyRoot();
        write(root, "proc/sys/kernel/hostname", "we\"ird\\\u0001host\n");
        startAgent(root);

        assertThat(HttpAgentClient.overUnixSocket(socket).health(Duration.ofSeconds(5)).hostname())
                .isEqualTo("we\"ird\\\u0001host");
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        startAgent(healthyRoot());

        assertThat(status(rawExchange("GET /metrics HTTP/1.1\r\nHost: agent\r\n\r\n"))).isEqualTo(404);
    }

    @Test
    void otherMethodsOnHealthzAreNotAllowedAndSayWhatIs() throws Exception {
        startAgent(healthyRoot());

        for (String method : List.of("POST", "PUT", "DELETE", "HEAD")) {
            String response = rawExchange(method + " /healthz HTTP/1.1\r\nHost: agent\r\nContent-Length: 0\r\n\r\n");
            assertThat(status(response)).as(method).isEqualTo(405);
            assertThat(response).as(method).containsIgnoringCase("\r\nAllow: GET\r\n");
        }
    }

    @Test
    void malformedRequestsAreBadRequests() throws Exception {
        startAgent(healthyRoot());

        assertThat(status(rawExchange("GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n"))).isEqualTo(400);
        assertThat(status(rawExchange("GARBAGE\r\n\r\n"))).isEqualTo(400);
        assertThat(status(rawExchange("GET /healthz HTTP/1.1\r\nHost: a\r\n"))).isEqualTo(400);
    }

    @Test
    void oversizedRequestHeadIsRejected() throws Exception {
        startAgent(healthyRoot());

        String response = rawExchange("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n");

        assertThat(status(response)).isEqualTo(431);
    }

    @Test
    void legacyPingIsAnsweredWithPong() throws Exception {
        startAgent(healthyRoot());

        assertThat(rawExchange("PING\n")).isEqualTo("PONG\n");
    }

    @Test
    void agentStillServesAfterBadClients() throws Exception {
        startAgent(healthyRoot());
        rawExchange("\u0000\u0001\u0002\r\n\r\n");
        rawExchange("GET /healthz HTTP/1.1\r\nHost");

        assertThat(HttpAgentClient.overUnixSocket(socket).health(Duration.ofSeconds(5)).hostname()).isEqualTo("dev1");
    }
}
