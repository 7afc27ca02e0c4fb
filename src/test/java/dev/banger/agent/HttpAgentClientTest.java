package dev.banger.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.HealthReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAgentClientTest {
    private static final String REPORT = """
            {"status":"ok","bootId":"b-1","uptimeSeconds":3.5,"hostname":"dev1",
             "services":{"sshd":{"port":22,"listening":true},"opencode":{"port":4096,"listening":false}},
             "workDisk":{"mountPoint":"/root","mounted":true},
             "hostKeys":["ssh-ed25519 AAAA dev1"],"agentVersion":"0.1.0","someFutureField":[1,2]}""";

    @TempDir
    Path dir;

    private FakeAgentSocket fake;

    private Path socket() {
        return dir.resolve("fc.vsock");
    }

    private FakeAgentSocket serve(FakeAgentSocket.Script... scripts) throws IOException {
        fake = new FakeAgentSocket(socket(), scripts);
        return fake;
    }

    @AfterEach
    void closeFake() throws IOException {
        if (fake != null) {
            fake.close();
        }
    }

    private HttpAgentClient vsockClient() {
        return HttpAgentClient.overHybridVsock(socket(), HttpAgentClient.DEFAULT_VSOCK_PORT);
    }

    @Test
    void healthReportIsDecodedFromTheAgentsJsonAfterTheVsockHandshake() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readHead();
            peer.respond(200, "OK", REPORT);
        });

        HealthReport report = vsockClient().health(Duration.ofSeconds(5));

        assertThat(report.legacy()).isFalse();
        assertThat(report.status()).isEqualTo(HealthReport.Status.OK);
        assertThat(report.bootId()).isEqualTo("b-1");
        assertThat(report.uptime()).isEqualTo(Duration.ofMillis(3500));
        assertThat(report.agentVersion()).isEqualTo("0.1.0");
        assertThat(report.hostname()).isEqualTo("dev1");
        assertThat(report.listening("sshd")).isTrue();
        assertThat(report.listening("opencode")).isFalse();
        assertThat(report.service("opencode")).contains(new HealthReport.Service(4096, false));
        assertThat(report.workDisk()).isEqualTo(new HealthReport.WorkDisk("/root", true));
        assertThat(report.hostKeys()).containsExactly("ssh-ed25519 AAAA dev1");
        assertThat(fake.received()).startsWith("CONNECT 10000", "GET /healthz HTTP/1.1");
        assertThat(fake.received()).contains("Host: banger-agent");
    }

    @Test
    void answersLeftInASerialStreamByAbandonedRequestsAreSkippedForTheOneThatEchoesThisRequest() throws IOException {
        String otherReport = REPORT.replace("b-1", "stale");
        serve(peer -> {
            List<String> head = peer.readHead();
            String id = head.stream().filter(l -> l.startsWith("X-Request-Id: ")).findFirst().orElseThrow().substring(14);
            // What a serial port still held: a probe's PONG and the answer to a request given up on.
            peer.write("PONG\n");
            peer.respondTo("0123456789abcdef01234567", 200, "OK", otherReport);
            peer.respondTo(id, 200, "OK", REPORT);
        });

        HealthReport report = HttpAgentClient.overUnixSocket(socket()).health(Duration.ofSeconds(5));

        assertThat(report.bootId()).isEqualTo("b-1");
        assertThat(fake.received()).anyMatch(line -> line.matches("X-Request-Id: [0-9a-f]{24}"));
    }

    @Test
    void connectLineCarriesTheConfiguredPort() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readHead();
            peer.respond(200, "OK", REPORT);
        });

        HttpAgentClient.overHybridVsock(socket(), 52).health(Duration.ofSeconds(5));

        assertThat(fake.received().getFirst()).isEqualTo("CONNECT 52");
    }

    @Test
    void handshakeAnsweredWithSomethingElseIsRefusedQuotingWhatWasReceived() throws IOException {
        serve(peer -> {
            peer.readLine();
            peer.write("FAILURE no listener\n");
        });

        assertThatThrownBy(() -> vsockClient().health(Duration.ofSeconds(5)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("'FAILURE no listener'")
                .hasMessageContaining("CONNECT 10000")
                .extracting(e -> ((AgentException) e).reason())
                .isEqualTo(AgentException.Reason.HANDSHAKE_REFUSED);
    }

    @Test
    void handshakeClosedWithoutAnAnswerSaysNothingWasReceived() throws IOException {
        serve(FakeAgentSocket.Peer::readLine);

        assertThatThrownBy(() -> vsockClient().health(Duration.ofSeconds(5)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("received nothing")
                .hasMessageContaining("vsock port 10000")
                .asInstanceOf(InstanceOfAssertFactories.type(AgentException.class))
                .satisfies(e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void stalledHandshakeEndsInADeadlineErrorNamingTheStep() throws IOException {
        serve(peer -> {
            peer.readLine();
            peer.stall();
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> vsockClient().health(Duration.ofMillis(300)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("300 ms")
                .hasMessageContaining("answer to CONNECT 10000")
                .extracting(e -> ((AgentException) e).reason())
                .isEqualTo(AgentException.Reason.DEADLINE_EXCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    @Test
    void agentThatStallsAfterTheHandshakeEndsInABoundedDeadlineError() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.stall();
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> vsockClient().health(Duration.ofMillis(400)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("timed out waiting for PONG after no answer to GET /healthz")
                .extracting(e -> ((AgentException) e).reason())
                .isEqualTo(AgentException.Reason.DEADLINE_EXCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(5));
    }

    @Test
    void agentThatStallsHalfwayThroughItsAnswerEndsInADeadlineErrorWithoutFallback() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readHead();
            peer.write("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"status\":");
            peer.stall();
        });

        assertThatThrownBy(() -> vsockClient().health(Duration.ofMillis(400)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("reading the answer to GET /healthz");
        assertThat(fake.connections()).isEqualTo(1);
    }

    @Test
    void imageFromBeforeTheHttpAgentFallsBackToPing() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readLine();
            peer.write("ERR unknown command\n");
        }, peer -> {
            peer.acceptHandshake();
            if ("PING".equals(peer.readLine())) {
                peer.write("PONG\n");
            }
        });

        HealthReport report = vsockClient().health(Duration.ofSeconds(5));

        assertThat(report.legacy()).isTrue();
        assertThat(report.status()).isEqualTo(HealthReport.Status.OK);
        assertThat(report.bootId()).isNull();
        assertThat(report.services()).isEmpty();
        assertThat(fake.received()).endsWith("CONNECT 10000", "PING");
    }

    @Test
    void oldAgentThatHangsUpOnHttpFallsBackToPing() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readLine();
        }, peer -> {
            peer.acceptHandshake();
            peer.readLine();
            peer.write("PONG\n");
        });

        assertThat(vsockClient().health(Duration.ofSeconds(5)).legacy()).isTrue();
    }

    @Test
    void silentOldAgentFallsBackToPingWithinTheSameDeadline() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.stall();
        }, peer -> {
            peer.acceptHandshake();
            peer.readLine();
            peer.write("PONG\n");
        });

        long start = System.nanoTime();
        assertThat(vsockClient().health(Duration.ofMillis(1000)).legacy()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
    }

    @Test
    void peerThatSpeaksNeitherProtocolIsAProtocolError() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readLine();
            peer.write("\u0001\u0002 binary\n");
        });

        assertThatThrownBy(() -> vsockClient().health(Duration.ofSeconds(5)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("speaks neither HTTP")
                .hasMessageContaining("\\x01\\x02 binary")
                .extracting(e -> ((AgentException) e).reason())
                .isEqualTo(AgentException.Reason.PROTOCOL);
    }

    @Test
    void errorStatusIsAProtocolErrorNamingTheStatusAndBody() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readHead();
            peer.respond(503, "Service Unavailable", "{\"error\":\"busy\"}");
        });

        assertThatThrownBy(() -> vsockClient().health(Duration.ofSeconds(5)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("503 Service Unavailable")
                .hasMessageContaining("busy");
        assertThat(fake.connections()).isEqualTo(1);
    }

    @Test
    void bodyThatIsNotAHealthReportIsAProtocolError() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readHead();
            peer.respond(200, "OK", "{\"status\": [oops");
        });

        assertThatThrownBy(() -> vsockClient().health(Duration.ofSeconds(5)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("not a health report")
                .extracting(e -> ((AgentException) e).reason())
                .isEqualTo(AgentException.Reason.PROTOCOL);
    }

    @Test
    void answerTrickledInPiecesWithoutContentLengthIsReadToTheEnd() throws IOException {
        serve(peer -> {
            peer.acceptHandshake();
            peer.readHead();
            String response = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + REPORT;
            for (byte b : response.getBytes()) {
                peer.write(new byte[] {b});
            }
        });

        assertThat(vsockClient().health(Duration.ofSeconds(5)).hostname()).isEqualTo("dev1");
    }

    @Test
    void serialSocketSpeaksHttpWithoutAHandshake() throws IOException {
        serve(peer -> {
            List<String> head = peer.readHead();
            if (head.getFirst().equals("GET /healthz HTTP/1.1")) {
                peer.respond(200, "OK", REPORT);
            }
        });

        HealthReport report = HttpAgentClient.overUnixSocket(socket()).health(Duration.ofSeconds(5));

        assertThat(report.hostname()).isEqualTo("dev1");
        assertThat(fake.received()).noneMatch(line -> line.startsWith("CONNECT"));
    }

    @Test
    void missingSocketIsUnreachableAndNamesThePath() {
        assertThat(Files.exists(socket())).isFalse();

        assertThatThrownBy(() -> vsockClient().health(Duration.ofSeconds(1)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining(socket().toString())
                .extracting(e -> ((AgentException) e).reason())
                .isEqualTo(AgentException.Reason.UNREACHABLE);
    }

    @Test
    void nonPositiveDeadlineIsRejected() {
        assertThatThrownBy(() -> vsockClient().health(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
