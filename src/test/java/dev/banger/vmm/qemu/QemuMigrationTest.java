package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuMigrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String URI = "exec:cat > /var/lib/banger/images/base/snapshot/state";

    @TempDir
    Path dir;

    private Path socket() {
        return dir.resolve("qmp.sock");
    }

    @Test
    void saveStopsLiftsTheBandwidthLimitMigratesAndPollsUntilCompleted() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{}"); // stop
                    peer.answer("{}"); // migrate-set-parameters
                    peer.answer("{}"); // migrate
                    peer.answer("{\"status\": \"setup\"}");
                    peer.answer("{\"status\": \"active\", \"ram\": {\"transferred\": 1024}}");
                    peer.answer("{\"status\": \"completed\", \"total-time\": 98}");
                    peer.drain();
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            QemuMigration.save(qmp, URI, false, Deadline.after(TIMEOUT));

            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "stop", "migrate-set-parameters", "migrate",
                    "query-migrate", "query-migrate", "query-migrate");
            assertThat(qemu.argumentsOf("migrate-set-parameters").path("max-bandwidth").asLong())
                    .isEqualTo(QemuMigration.UNTHROTTLED);
            assertThat(qemu.argumentsOf("migrate").path("uri").asText()).isEqualTo(URI);
        }
    }

    @Test
    void aMachineWhoseMemoryIsAFileIsSavedWithoutItAndLoadedTheSameWay() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{}"); // migrate-set-capabilities
                    peer.answer("{}"); // stop
                    peer.answer("{}"); // migrate-set-parameters
                    peer.answer("{}"); // migrate
                    peer.answer("{\"status\": \"completed\"}");
                    peer.drain();
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            QemuMigration.save(qmp, URI, true, Deadline.after(TIMEOUT));

            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "migrate-set-capabilities", "stop",
                    "migrate-set-parameters", "migrate", "query-migrate");
            assertThat(qemu.argumentsOf("migrate-set-capabilities").toString())
                    .isEqualTo("{\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]}");
        }
        Files.deleteIfExists(socket());
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{}"); // migrate-set-capabilities
                    peer.answer("{}"); // migrate-incoming
                    peer.answer("{\"status\": \"inmigrate\", \"running\": false}");
                    peer.answer("{\"status\": \"paused\", \"running\": false}");
                    peer.answer("{\"status\": \"completed\"}");
                    peer.drain();
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            assertThat(QemuMigration.load(qmp, "exec:exec cat /snap/state 2>/dev/null", Deadline.after(TIMEOUT))).isEqualTo("paused");

            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "migrate-set-capabilities", "migrate-incoming",
                    "query-status", "query-status", "query-migrate");
            assertThat(qemu.argumentsOf("migrate-set-capabilities").toString())
                    .isEqualTo("{\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]}");
            assertThat(qemu.argumentsOf("migrate-incoming").path("uri").asText()).isEqualTo("exec:exec cat /snap/state 2>/dev/null");
        }
    }

    @Test
    void aFailedMigrationCarriesQemusErrorDescription() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{}");
                    peer.answer("{}");
                    peer.answer("{}");
                    peer.answer("{\"status\": \"failed\", \"error-desc\": \"Unable to write to command: Broken pipe\"}");
                    peer.drain();
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            assertThatThrownBy(() -> QemuMigration.save(qmp, URI, false, Deadline.after(TIMEOUT)))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("the migration to '" + URI + "' failed: Unable to write to command: Broken pipe");
        }
    }

    @Test
    void aMigrationThatNeverEndsTimesOutAtTheDeadline() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answerAll("{\"status\": \"active\"}");
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            assertThatThrownBy(() -> QemuMigration.save(qmp, URI, false, Deadline.after(Duration.ofMillis(300))))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("timed out after 0 s waiting for the migration");
            assertThat(qemu.commands()).contains("migrate").last().isEqualTo("query-migrate");
        }
    }

    @Test
    void awaitLoadedPollsWhileInmigrateAndReturnsThePausedStateOfACompletedLoad() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{\"status\": \"inmigrate\", \"running\": false}");
                    peer.answer("{\"status\": \"inmigrate\", \"running\": false}");
                    peer.answer("{\"status\": \"paused\", \"running\": false}");
                    peer.answer("{\"status\": \"completed\"}");
                    peer.drain();
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            assertThat(QemuMigration.awaitLoaded(qmp, Deadline.after(TIMEOUT))).isEqualTo("paused");

            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "query-status", "query-status", "query-status",
                    "query-migrate");
        }
    }

    @Test
    void aLoadThatLeftInmigrateWithoutCompletingIsAnError() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answer("{\"status\": \"paused\", \"running\": false}");
                    peer.answer("{\"status\": \"failed\", \"error-desc\": \"load of migration failed: Invalid argument\"}");
                    peer.drain();
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            assertThatThrownBy(() -> QemuMigration.awaitLoaded(qmp, Deadline.after(TIMEOUT)))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("run state 'paused' with migration status 'failed': load of migration failed");
        }
    }

    @Test
    void aStreamThatNeverLoadsTimesOut() throws Exception {
        // What QEMU 7.2 does when the stream ends before it began: inmigrate, with no migration status, for good.
        try (FakeQmpServer qemu = new FakeQmpServer(socket(), peer -> {
                    peer.negotiate();
                    peer.answerAll("{\"status\": \"inmigrate\", \"running\": false}");
                });
                QmpClient qmp = QmpClient.connect(socket(), TIMEOUT)) {
            assertThatThrownBy(() -> QemuMigration.awaitLoaded(qmp, Deadline.after(Duration.ofMillis(300))))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("waiting for the snapshot to load");
        }
    }
}
