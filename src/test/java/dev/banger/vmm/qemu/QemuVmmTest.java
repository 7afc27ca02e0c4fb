package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.QemuConfig;
import dev.banger.host.CommandResult;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.rpc.Json;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuVmmTest {
    private static final long OWN_PID = ProcessHandle.current().pid();

    @TempDir
    Path vmDir;

    private final RecordingHostCommands host = new RecordingHostCommands();
    private final QemuVmm vmm = new QemuVmm(host, QemuConfig.DEFAULTS, QemuAccel.TCG, OptionalLong.of(2_000_000));

    private MachineSpec spec(Path dir) {
        return new MachineSpec("dev1", dir, 1, 256, Path.of("/b/vmlinux"), null, "console=ttyS0", List.of(), null, 3, 10000);
    }

    private void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void qemuIsNamedQemuOpensQcow2AndBootsTheMicrovmLine() {
        assertThat(vmm.name()).isEqualTo("qemu");
        assertThat(vmm.opensQcow2()).isTrue();
        assertThat(vmm.kernelFlavour()).isEqualTo(Vmm.KernelFlavour.QEMU_MICROVM);
        assertThat(vmm.adoptsPausedMachines()).isTrue();
    }

    @Test
    void aConfigurationQemuRefusesFailsNamingArgvExitCodeAndStderr() {
        host.answer(List.of("qemu-system-x86_64"), 1, "", "qemu: could not open kernel file '/b/vmlinux': No such file or directory");

        assertThatThrownBy(() -> vmm.start(spec(vmDir)))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("QEMU could not start VM dev1")
                .hasMessageContaining("exit 1")
                .hasMessageContaining("-kernel /b/vmlinux")
                .hasMessageContaining("could not open kernel file '/b/vmlinux'");
        assertThat(host.recorded()).hasSize(1);
    }

    @Test
    void qemuThatLeavesNoPidFileIsAnError() {
        assertThatThrownBy(() -> vmm.start(spec(vmDir)))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("left no usable pid file at " + vmDir.resolve("qemu.pid"));
    }

    @Test
    void qemuGoneRightAfterDaemonisingReportsStderrAndTheConsoleTailWithoutKillingAReusedPid() {
        // The pid file names this JVM: alive, but not QEMU for this VM, exactly what a reused pid looks like.
        host.answer(List.of("qemu-system-x86_64"), command -> {
            write(vmDir.resolve("qemu.pid"), OWN_PID + "\n");
            write(vmDir.resolve("console.log"), "[    0.1] Linux version 6.1\n[    0.9] Kernel panic - not syncing: boom\n");
            return new CommandResult(command, 0, "", "qemu-system-x86_64: warning: host doesn't support requested feature\n",
                    Duration.ZERO);
        });

        assertThatThrownBy(() -> vmm.start(spec(vmDir)))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("(pid " + OWN_PID + ") exited right after starting")
                .hasMessageContaining("warning: host doesn't support requested feature")
                .hasMessageContaining("Kernel panic - not syncing: boom");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aMissingVmDirectoryIsAPreconditionFailureBeforeQemuRuns() {
        Path missing = vmDir.resolve("absent");

        assertThatThrownBy(() -> vmm.start(spec(missing)))
                .isInstanceOf(QemuException.class)
                .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining(missing + " does not exist");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aPidThatRunsSomethingElseIsNotAliveAndStoppingItTouchesNothing() {
        VmmInstance instance = new VmmInstance("qemu", OWN_PID, vmDir, vmDir.resolve("agent.sock"),
                VmmInstance.AgentTransport.UNIX_STREAM);

        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(vmm.stopReporting(instance, Duration.ofSeconds(1))).isEqualTo(QemuVmm.StopOutcome.ALREADY_GONE);
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void cmdlineMatchesOnlyThisBinaryRunningThisVmDirectory() {
        Path dir = Path.of("/var/lib/banger/vms/dev1");

        assertThat(QemuProcesses.cmdlineMatches(cmdline("/usr/bin/qemu-system-x86_64", "-M", "microvm", "-daemonize",
                "-pidfile", "/var/lib/banger/vms/dev1/qemu.pid"), "qemu-system-x86_64", dir)).isTrue();
        assertThat(QemuProcesses.cmdlineMatches(cmdline("/usr/bin/qemu-system-x86_64", "-pidfile",
                "/var/lib/banger/vms/dev10/qemu.pid"), "qemu-system-x86_64", dir)).isFalse();
        assertThat(QemuProcesses.cmdlineMatches(cmdline("/usr/bin/vim", "/var/lib/banger/vms/dev1/qemu.pid"),
                "qemu-system-x86_64", dir)).isFalse();
        assertThat(QemuProcesses.cmdlineMatches(new byte[0], "qemu-system-x86_64", dir)).isFalse();
    }

    @Test
    void theBackendIsNamedQemuAndAgentsAreReachedOverAPlainUnixSocket() {
        assertThat(vmm.name()).isEqualTo("qemu");
        assertThat(new QemuFiles(vmDir).agentSocket()).isEqualTo(vmDir.resolve("agent.sock"));
    }

    private VmmInstance notRunningQemu() {
        // This JVM's pid: never QEMU, so nothing is killed and the process counts as ended at once.
        return new VmmInstance("qemu", OWN_PID, vmDir, vmDir.resolve("agent.sock"), VmmInstance.AgentTransport.UNIX_STREAM);
    }

    @Test
    void saveSnapshotStreamsTheStoppedMachineIntoAPrivateStateFileThenQuitsQemu() throws Exception {
        Path snapshot = Files.createDirectory(vmDir.resolve("snapshot"));
        try (FakeQmpServer qemu = new FakeQmpServer(vmDir.resolve("qmp.sock"), peer -> {
            peer.negotiate();
            peer.answer("{}");
            peer.answer("{}");
            peer.answer("{}");
            peer.answer("{\"status\": \"completed\"}");
            peer.answerAll("{}");
        })) {
            SnapshotFiles saved = vmm.saveSnapshot(notRunningQemu(), snapshot);

            assertThat(vmm.savesSnapshots()).isTrue();
            assertThat(saved).isEqualTo(new SnapshotFiles(snapshot.resolve("state"), Optional.empty()));
            assertThat(Files.getPosixFilePermissions(saved.state())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "stop", "migrate-set-parameters", "migrate",
                    "query-migrate", "quit");
            assertThat(qemu.argumentsOf("migrate").path("uri").asText()).isEqualTo("exec:cat > " + snapshot.resolve("state"));
        }
    }

    @Test
    void aFailedSaveRemovesTheStateFileEndsQemuAndReportsQemusReasonWithTheConsoleTail() throws Exception {
        Path snapshot = Files.createDirectory(vmDir.resolve("snapshot"));
        write(vmDir.resolve("console.log"), "[   12.0] BANGER-GUEST-UP\n");
        try (FakeQmpServer qemu = new FakeQmpServer(vmDir.resolve("qmp.sock"), peer -> {
            peer.negotiate();
            peer.answer("{}");
            peer.answer("{}");
            peer.answer("{}");
            peer.answer("{\"status\": \"failed\", \"error-desc\": \"Unable to write to command: No space left on device\"}");
            peer.answerAll("{}");
        })) {
            assertThatThrownBy(() -> vmm.saveSnapshot(notRunningQemu(), snapshot))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("could not save its machine to " + snapshot.resolve("state"))
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("the machine was ended")
                    .hasMessageContaining("BANGER-GUEST-UP");
            assertThat(qemu.commands()).last().isEqualTo("quit");
            assertThat(snapshot).isEmptyDirectory();
        }
    }

    @Test
    void aSnapshotDirectoryTheShellWouldMisreadIsRefusedAndTheMachineStillEnded() throws Exception {
        Path snapshot = Files.createDirectory(vmDir.resolve("snap shot"));
        try (FakeQmpServer qemu = new FakeQmpServer(vmDir.resolve("qmp.sock"), peer -> {
            peer.negotiate();
            peer.answerAll("{}");
        })) {
            assertThatThrownBy(() -> vmm.saveSnapshot(notRunningQemu(), snapshot))
                    .isInstanceOf(QemuException.class)
                    .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("only letters, digits and / . _ + -");
            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "quit");
            assertThat(snapshot).isEmptyDirectory();
        }
    }

    @Test
    void aMissingSnapshotIsRefusedBeforeQemuRuns() {
        Path state = vmDir.resolve("snapshot/state");

        assertThatThrownBy(() -> vmm.restorePaused(spec(vmDir), new SnapshotFiles(state, Optional.empty())))
                .isInstanceOf(QemuException.class)
                .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("its snapshot " + state + " is not a readable file");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aRestoreWhoseQemuExitsAtOnceNamesTheSnapshotAndWhatToDo() throws IOException {
        Path state = Files.writeString(vmDir.resolve("state"), "QEVM");
        host.answer(List.of("qemu-system-x86_64"), command -> {
            write(vmDir.resolve("qemu.pid"), OWN_PID + "\n");
            return new CommandResult(command, 0, "", "", Duration.ZERO);
        });

        assertThatThrownBy(() -> vmm.restorePaused(spec(vmDir), new SnapshotFiles(state, Optional.empty())))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("VM dev1 was not restored from the snapshot " + state)
                .hasMessageContaining("exited right after starting")
                .hasMessageContaining("boot the VM instead");
        assertThat(host.recorded().getFirst()).containsSequence("-incoming", "exec:exec cat " + state + " 2>/dev/null");
    }

    @Test
    void growDriveResizesTheBlockDeviceOfARunningMachine() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(vmDir.resolve("qmp.sock"), peer -> {
            peer.negotiate();
            peer.answer("{}");
            peer.drain();
        })) {
            vmm.growDrive(notRunningQemu(), "work", 64L << 20);

            assertThat(qemu.commands()).containsExactly("qmp_capabilities", "block_resize");
            assertThat(qemu.argumentsOf("block_resize")).isEqualTo(Json.mapper().readTree(
                    "{\"device\": \"work\", \"size\": 67108864}"));
        }
    }

    @Test
    void aRefusedGrowNamesTheDriveAndQemusReason() throws Exception {
        try (FakeQmpServer qemu = new FakeQmpServer(vmDir.resolve("qmp.sock"), peer -> {
            peer.negotiate();
            var command = peer.command();
            peer.send("{\"id\": " + command.path("id") + ", \"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"Cannot shrink the device\"}}");
            peer.drain();
        })) {
            assertThatThrownBy(() -> vmm.growDrive(notRunningQemu(), "work", 1L << 20))
                    .isInstanceOf(QemuException.class)
                    .hasMessageContaining("did not grow drive work to 1048576 bytes")
                    .hasMessageContaining("Cannot shrink the device");
        }
    }

    private static byte[] cmdline(String... args) {
        return (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8);
    }
}
