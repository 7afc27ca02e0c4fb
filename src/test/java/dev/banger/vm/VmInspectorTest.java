package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.SshTarget;
import dev.banger.model.VmLogChunk;
import dev.banger.model.VmState;
import dev.banger.model.VmStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmInspectorTest {
    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;
    private VmInspector inspector;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        service = fx.service(VmFixture.QUICK);
        inspector = service.inspector(() -> "-----BEGIN OPENSSH PRIVATE KEY-----");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void create(String name) {
        service.create(service.plan(new CreateRequest(name, null, null, null, null)), new RecordingStages());
    }

    private static ErrorKind kindOf(Throwable e) {
        assertThat(e).isInstanceOf(BangerException.class);
        return ((BangerException) e).kind();
    }

    @Test
    void sshTargetPinsTheReportedHostKeysForTheGuestAddress() {
        fx.vmm.health(vm -> FakeAgent.report(true, true, true, FakeVmm.HOST_KEY, "ecdsa-sha2-nistp256 BBBBE2 root@guest"));
        create("dev1");

        SshTarget target = inspector.ssh("dev1");

        assertThat(target.host()).isEqualTo("127.77.0.2");
        assertThat(target.port()).isEqualTo(22);
        assertThat(target.user()).isEqualTo("root");
        assertThat(target.privateKey()).startsWith("-----BEGIN");
        assertThat(target.knownHosts()).containsExactly(
                "127.77.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests",
                "127.77.0.2 ecdsa-sha2-nistp256 BBBBE2");
    }

    @Test
    void sshToAVmThatReportedNoHostKeysIsRefusedRatherThanUnpinned() {
        fx.vmm.health(vm -> FakeAgent.report(true, true, true));
        create("dev1");

        Throwable refused = catchThrowable(() -> inspector.ssh("dev1"));

        assertThat(kindOf(refused)).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThat(refused).hasMessageContaining("reported no SSH host keys");
    }

    @Test
    void sshAndHealthOfAStoppedVmSayHowToStartIt() {
        create("dev1");
        service.stop("dev1");

        Throwable ssh = catchThrowable(() -> inspector.ssh("dev1"));
        Throwable health = catchThrowable(() -> inspector.health("dev1"));

        assertThat(kindOf(ssh)).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThat(ssh).hasMessageContaining("banger vm start dev1");
        assertThat(kindOf(health)).isEqualTo(ErrorKind.PRECONDITION_FAILED);
    }

    @Test
    void healthIsTheRunningAgentsReport() {
        create("dev1");

        assertThat(inspector.health("dev1").listening("sshd")).isTrue();
        assertThat(inspector.health("dev1").hostKeys()).containsExactly(FakeVmm.HOST_KEY);
    }

    @Test
    void logsAreReadFromAnOffsetAndSayWhereToContinue() throws IOException {
        create("dev1");
        Files.writeString(fx.vmDir("dev1").resolve("console.log"), "hello\nworld\n");

        VmLogChunk all = inspector.logs("dev1", 0);
        VmLogChunk rest = inspector.logs("dev1", 6);
        VmLogChunk past = inspector.logs("dev1", 100);

        assertThat(all.text()).isEqualTo("hello\nworld\n");
        assertThat(all.nextOffset()).isEqualTo(12);
        assertThat(all.running()).isTrue();
        assertThat(rest.text()).isEqualTo("world\n");
        assertThat(past.text()).isEmpty();
        assertThat(past.nextOffset()).isEqualTo(12);
        assertThat(kindOf(catchThrowable(() -> inspector.logs("dev1", -1)))).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void logsOfAVmWithoutAConsoleLogAreEmpty() {
        create("dev1");

        VmLogChunk chunk = inspector.logs("dev1", 0);

        assertThat(chunk.text()).isEmpty();
        assertThat(chunk.nextOffset()).isZero();
    }

    @Test
    void statsOfAStoppedVmCountTheDiskButNoProcess() {
        create("dev1");
        service.stop("dev1");

        VmStats stats = inspector.stats("dev1");

        assertThat(stats.state()).isEqualTo(VmState.STOPPED);
        assertThat(stats.cpuSeconds()).isNull();
        assertThat(stats.memoryRssBytes()).isNull();
        assertThat(stats.uptimeSeconds()).isNull();
        assertThat(stats.diskBytes()).isEqualTo(1L << 30);
        assertThat(stats.diskUsedBytes()).isPositive().isLessThan(1L << 30);
    }
}
