package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.rpc.Json;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path socket() {
        return dir.resolve("qmp.sock");
    }

    @Test
    void connectNegotiatesCapabilitiesAndQueryStatusSkipsEventsToReturnTheRunState() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    var command = peer.command();
                    peer.send("{\"event\": \"RESET\", \"data\": {\"guest\": true}, \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}");
                    peer.send("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": "
                            + command.path("id") + "}");
                    peer.drain();
                });
                QmpClient client = QmpClient.connect(socket(), TIMEOUT)) {
            assertThat(client.queryStatus(TIMEOUT)).isEqualTo("running");
            assertThat(qemu.received()).hasSize(2);
            assertThat(Json.mapper().readTree(qemu.received().get(0)).path("execute").asText()).isEqualTo("qmp_capabilities");
            assertThat(Json.mapper().readTree(qemu.received().get(1)).path("execute").asText()).isEqualTo("query-status");
        }
    }

    @Test
    void ctrlAltDeleteIsSentAsThreeQcodes() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{}");
                    peer.drain();
                });
                QmpClient client = QmpClient.connect(socket(), TIMEOUT)) {
            client.sendCtrlAltDelete(TIMEOUT);

            var sent = Json.mapper().readTree(qemu.received().get(1));
            assertThat(sent.path("execute").asText()).isEqualTo("send-key");
            assertThat(sent.path("arguments")).isEqualTo(Json.mapper().readTree(
                    "{\"keys\":[{\"type\":\"qcode\",\"data\":\"ctrl\"},{\"type\":\"qcode\",\"data\":\"alt\"},"
                            + "{\"type\":\"qcode\",\"data\":\"delete\"}]}"));
        }
    }

    @Test
    void aRefusedCommandCarriesQmpsDescriptionAndClass() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    var command = peer.command();
                    peer.send("{\"id\": " + command.path("id") + ", \"error\": {\"class\": \"CommandNotFound\", "
                            + "\"desc\": \"The command system_powerdown has not been found\"}}");
                    peer.drain();
                });
                QmpClient client = QmpClient.connect(socket(), TIMEOUT)) {
            assertThatThrownBy(() -> client.systemPowerdown(TIMEOUT))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("QMP system_powerdown")
                    .hasMessageContaining("The command system_powerdown has not been found")
                    .satisfies(e -> assertThat(((QemuException) e).qmpErrorClass()).isEqualTo("CommandNotFound"));
            assertThat(qemu.received()).last().asString().contains("\"system_powerdown\"");
        }
    }

    @Test
    void aPeerThatNeverGreetsTimesOutAtTheDeadline() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), FakeQmpServer.Peer::drain)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> QmpClient.connect(socket(), Duration.ofMillis(300)))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("did not answer in time: timed out reading the greeting");
            assertThat(qemu.received()).as("nothing is sent before the greeting").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aPeerThatIsNotQmpIsRejected() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
            peer.send("{\"hello\": 1}");
            peer.drain();
        })) {
            assertThatThrownBy(() -> QmpClient.connect(socket(), TIMEOUT))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("did not greet with QMP");
            assertThat(qemu.received()).as("no capabilities negotiation with a peer that is not QMP").isEmpty();
        }
    }

    @Test
    void quitCountsQemuClosingTheSocketBeforeAnsweringAsDone() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.command();
                    throw new java.io.EOFException("QEMU exits without answering");
                });
                QmpClient client = QmpClient.connect(socket(), TIMEOUT)) {
            client.quit(TIMEOUT);

            assertThat(qemu.received()).last().asString().contains("\"quit\"");
        }
    }

    @Test
    void otherCommandsReportAClosedConnection() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.command();
                    throw new java.io.EOFException("gone");
                });
                QmpClient client = QmpClient.connect(socket(), TIMEOUT)) {
            assertThatThrownBy(() -> client.queryStatus(TIMEOUT))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("failed while running query-status: QEMU closed the connection");
            assertThat(qemu.received()).last().asString().contains("\"query-status\"");
        }
    }

    @Test
    void connectingWhereNothingListensNamesTheSocket() {
        assertThatThrownBy(() -> QmpClient.connect(socket(), TIMEOUT))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("cannot connect to QMP at " + socket());
    }
}
