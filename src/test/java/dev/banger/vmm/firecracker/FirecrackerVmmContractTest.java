package dev.banger.vmm.firecracker;

import static dev.banger.vmm.firecracker.ContractBodies.assertGone;
import static dev.banger.vmm.firecracker.ContractBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.rpc.Json;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real {@link FirecrackerVmm} against a fake Firecracker: a script (named
 * {@code firecracker}, or {@code fc} where the name must not matter) that "opens" its API socket by linking the expected path to
 * {@link FakeFirecrackerApi}, which checks every request against the project's reference of
 * Firecracker's API ({@code docs/reference/firecracker-api.yaml}), boot phases included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirecrackerVmmContractTest {

    @TempDir
    Path dir;

    private Path vmDir;
    private Path serverSocket;
    private Path stopFifo;
    private Path pidFile;
    private FakeFirecrackerApi api;
    private FirecrackerVmm vmm;

    @BeforeEach
    void setUp() throws Exception {
        vmDir = Files.createDirectories(dir.resolve("vms/dev1"));
        serverSocket = dir.resolve("api.sock");
        stopFifo = dir.resolve("stop.fifo");
        pidFile = dir.resolve("fake.pid");
        new ProcessHostCommands().run("mkfifo", stopFifo.toString());
        api = FakeFirecrackerApi.start(serverSocket);
        api.onAction("SendCtrlAltDel", this::letFakeExit);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (vmm != null) {
            vmm.close();
        }
        if (api != null) {
            api.close();
        }
        // Null when setUp failed before choosing the pid file.
        if (pidFile != null) {
            fakePid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void createAndStopSendOnlyRequestsTheApiDocumentAllowsInTheOrderFirecrackerNeeds() throws Exception {
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));

        VmmInstance instance = vmm.start(Specs.full(vmDir));

        assertThat(instance.pid()).as("the pid is the fake's own: setsid did not fork").isEqualTo(fakePid().orElseThrow());
        assertThat(instance.agentSocket()).isEqualTo(vmDir.resolve("firecracker.vsock"));
        assertThat(instance.agentTransport()).isEqualTo(VmmInstance.AgentTransport.HYBRID_VSOCK);
        assertThat(vmm.isAlive(instance)).isTrue();
        assertThat(vmDir.resolve("firecracker-vmm.log")).as("created before PUT /logger").isRegularFile();
        assertThat(vmDir.resolve("firecracker-metrics.json")).as("created before PUT /metrics").isRegularFile();

        vmm.stop(instance, Duration.ofSeconds(20));

        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(api.violations()).isEmpty();
        assertThat(api.received()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "PUT /logger",
                "PUT /metrics",
                "PUT /machine-config",
                "PUT /boot-source",
                "PUT /drives/root",
                "PUT /drives/work",
                "PUT /network-interfaces/eth0",
                "PUT /vsock",
                "PUT /entropy",
                "PUT /actions",
                "PUT /actions");
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::body).containsExactly(
                json("log_path", vmDir + "/firecracker-vmm.log", "level", "Info"),
                json("metrics_path", vmDir + "/firecracker-metrics.json"),
                json("vcpu_count", 2, "mem_size_mib", 512, "smt", false),
                json("kernel_image_path", "/var/lib/banger/images/debian/vmlinux",
                        "initrd_path", "/var/lib/banger/images/debian/initrd.img", "boot_args", Specs.BOOT_ARGS),
                json("drive_id", "root", "path_on_host", vmDir + "/root.ext4", "is_root_device", true, "is_read_only", false),
                json("drive_id", "work", "path_on_host", vmDir + "/work.ext4", "is_root_device", false, "is_read_only", false),
                json("iface_id", "eth0", "host_dev_name", "tap-bg0", "guest_mac", "02:fc:00:00:00:07"),
                json("guest_cid", 7, "uds_path", vmDir + "/firecracker.vsock"),
                json(),
                json("action_type", "InstanceStart"),
                json("action_type", "SendCtrlAltDel"));
    }

    @Test
    void aPausedStartIsConfiguredWithoutInstanceStartUntilResumed() throws Exception {
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));

        VmmInstance instance = vmm.startPaused(Specs.full(vmDir));

        assertThat(api.received()).extracting(r -> r.path()).endsWith("/vsock", "/entropy").doesNotContain("/actions");
        vmm.resume(instance);
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::body).last()
                .isEqualTo(json("action_type", "InstanceStart"));
        assertThat(api.violations()).isEmpty();
        vmm.stop(instance, Duration.ofSeconds(20));
    }

    @Test
    void fakeServerRejectsARequestTheApiDocumentForbids() {
        try (FirecrackerApiClient client = new FirecrackerApiClient(Duration.ofSeconds(5))) {
            ApiCall unknownField = ApiCall.put("/machine-config", Map.of("vcpu_count", 2, "mem_size_mib", 512, "vcpus", 2));
            ApiCall missingField = ApiCall.put("/vsock", Map.of("guest_cid", 7));

            assertThatThrownBy(() -> client.send(serverSocket, unknownField))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("contract violation")
                    .hasMessageContaining("vcpus");
            assertThatThrownBy(() -> client.send(serverSocket, missingField))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("contract violation")
                    .hasMessageContaining("uds_path");
        }
        assertThat(api.violations()).hasSize(2);
    }

    @Test
    void fakeServerRefusesConfigurationAfterInstanceStartLikeFirecracker() {
        try (FirecrackerApiClient client = new FirecrackerApiClient(Duration.ofSeconds(5))) {
            client.send(serverSocket, FirecrackerPlan.start());

            assertThatThrownBy(() -> client.send(serverSocket, ApiCall.put("/drives/root",
                    new Drive("root", "/drives/root", true, false))))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("PUT /drives/{drive_id} is pre-boot only, but came after InstanceStart");
            assertThatThrownBy(() -> client.send(serverSocket, FirecrackerPlan.start()))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("action InstanceStart is pre-boot only");
            client.send(serverSocket, FirecrackerPlan.ctrlAltDel());
        }
        assertThat(api.violations()).hasSize(2);
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path)
                .containsExactly("/actions", "/drives/root", "/actions", "/actions");
    }

    @Test
    void fakeServerRefusesCtrlAltDelBeforeInstanceStartLikeFirecracker() {
        try (FirecrackerApiClient client = new FirecrackerApiClient(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> client.send(serverSocket, FirecrackerPlan.ctrlAltDel()))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("action SendCtrlAltDel is post-boot only, but came before InstanceStart");
            client.send(serverSocket, ApiCall.put("/drives/root", new Drive("root", "/drives/root", true, false)));
        }
        assertThat(api.violations()).hasSize(1);
    }

    @Test
    void fakeServerTakesASnapshotLoadOnlyFirstOnAFreshProcessAndThenOnlyARuntimeResumeLikeFirecracker() {
        ApiCall load = FirecrackerPlan.restore(Specs.full(vmDir), new FirecrackerLayout(vmDir),
                vmDir.resolve("snapshot.state"), vmDir.resolve("snapshot.mem")).getLast();
        try (FirecrackerApiClient client = new FirecrackerApiClient(Duration.ofSeconds(5))) {
            client.send(serverSocket, ApiCall.put("/machine-config", new MachineConfiguration(2, 512, false)));
            assertThatThrownBy(() -> client.send(serverSocket, load))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("PUT /snapshot/load is only taken by a fresh process");

            api.newProcess();
            assertThatThrownBy(() -> client.send(serverSocket, FirecrackerPlan.resumeLoaded()))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("PATCH /vm is post-boot only, but came before InstanceStart or a snapshot load");
            for (ApiCall call : FirecrackerPlan.restore(Specs.full(vmDir), new FirecrackerLayout(vmDir),
                    vmDir.resolve("snapshot.state"), vmDir.resolve("snapshot.mem"))) {
                client.send(serverSocket, call); // logger and metrics leave the process fresh
            }
            assertThat(api.state()).isEqualTo(new BootPhaseRules.State(false, true, true));
            assertThatThrownBy(() -> client.send(serverSocket, FirecrackerPlan.start()))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("action InstanceStart is pre-boot only");
            assertThatThrownBy(() -> client.send(serverSocket, ApiCall.put("/drives/root", new Drive("root", "/drives/root", true, false))))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("PUT /drives/{drive_id} is pre-boot only");
            client.send(serverSocket, FirecrackerPlan.resumeLoaded());
        }
        assertThat(api.state()).isEqualTo(new BootPhaseRules.State(false, true, false));
        assertThat(api.violations()).hasSize(4);
    }

    @Test
    void fakeServerTakesASnapshotOnlyOfABootedMachineWhileItIsPausedLikeFirecracker() {
        ApiCall create = FirecrackerPlan.createSnapshot("/snapshot/state", "/snapshot/memory");
        try (FirecrackerApiClient client = new FirecrackerApiClient(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> client.send(serverSocket, FirecrackerPlan.pause()))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("PATCH /vm is post-boot only");
            client.send(serverSocket, FirecrackerPlan.start());
            assertThatThrownBy(() -> client.send(serverSocket, create))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining("PUT /snapshot/create is only taken while the machine is paused");
            client.send(serverSocket, FirecrackerPlan.pause());
            client.send(serverSocket, create);
            client.send(serverSocket, FirecrackerPlan.rereadDrive("root", "/drives/root"));
        }
        assertThat(api.violations()).hasSize(2);
    }

    @Test
    void withoutTheJailSnapshotsAreNeitherSavedNorRestored() throws Exception {
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));
        assertThat(vmm.savesSnapshots()).as("drive paths differ per VM without the jail's chroot").isFalse();
        SnapshotFiles files = new SnapshotFiles(Files.writeString(dir.resolve("state"), "s"),
                Optional.of(Files.writeString(dir.resolve("mem"), "m")));

        assertThatThrownBy(() -> vmm.restorePaused(Specs.full(vmDir), files))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("only when jailed ([firecracker] jail = true)")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
        assertThat(fakePid()).as("nothing was spawned").isEmpty();

        VmmInstance instance = vmm.start(Specs.full(vmDir));
        assertThatThrownBy(() -> vmm.saveSnapshot(instance, Files.createDirectories(dir.resolve("saved"))))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("launched without the jail");
        assertThatThrownBy(() -> vmm.growDrive(instance, "work", 1 << 20))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("launched without the jail");
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).doesNotContain("/vm", "/snapshot/create");
        vmm.stop(instance, Duration.ofSeconds(20));
        assertGone(instance.pid());
    }

    @Test
    void apiCallThatGetsNoAnswerFailsAtItsTimeoutAndKillsTheProcess() throws Exception {
        api.neverAnswer("/machine-config");
        vmm = new FirecrackerVmm(new FirecrackerVmm.Settings(servingFirecracker(), Duration.ofSeconds(10), Duration.ofMillis(700)));

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("did not answer PUT /machine-config within 700 ms");

        assertGone(fakePid().orElseThrow());
    }

    @Test
    void refusedConfigurationSurfacesFirecrackersFaultMessageAndKillsTheProcess() throws Exception {
        api.refuse("/boot-source", "The kernel file cannot be opened: No such file or directory (os error 2)");
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("PUT /boot-source")
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("The kernel file cannot be opened: No such file or directory (os error 2)")
                .hasMessageContaining("fake firecracker: starting");

        assertGone(fakePid().orElseThrow());
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).last().isEqualTo("/boot-source");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void processExitingBeforeItsSocketAppearsFailsFastWithTheLogTail() throws Exception {
        Path fake = fakeFirecracker("""
                echo "fake firecracker: cannot open /dev/kvm: No such file or directory" >&2
                exit 1
                """);
        vmm = vmm(fake, Duration.ofSeconds(45));
        long start = System.nanoTime();

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("exited with code 1 before opening its API socket")
                .hasMessageContaining("cannot open /dev/kvm");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(api.received()).isEmpty();
    }

    @Test
    void socketThatNeverAppearsFailsAtTheDeadlineAndKillsTheProcess() throws Exception {
        Path fake = fakeFirecracker("""
                echo $$ > '%s'
                echo "fake firecracker: starting, never listening"
                read -r line < '%s'
                """.formatted(pidFile, stopFifo));
        vmm = vmm(fake, Duration.ofMillis(1500));

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("did not open its API socket " + vmDir.resolve("firecracker.sock") + " within 1500 ms")
                .hasMessageContaining("fake firecracker: starting, never listening");

        assertGone(fakePid().orElseThrow());
    }

    @Test
    void machineIgnoringCtrlAltDelIsKilledAfterTheGracePeriod() throws Exception {
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));
        VmmInstance instance = vmm.start(Specs.full(vmDir));
        api.onAction("SendCtrlAltDel", () -> { });

        vmm.stop(instance, Duration.ofMillis(300));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText()).last().isEqualTo("SendCtrlAltDel");
    }

    @Test
    void stoppingAMachineWhoseProcessIsGoneSucceedsWithoutCallingItsApi() throws Exception {
        Process gone = new ProcessBuilder(ProcessHostCommands.resolve("true").orElseThrow().toString()).start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        VmmInstance instance = new VmmInstance(FirecrackerVmm.NAME, gone.pid(), vmDir,
                vmDir.resolve("firecracker.vsock"), VmmInstance.AgentTransport.HYBRID_VSOCK);
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));

        vmm.stop(instance, Duration.ofSeconds(1));

        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(api.received()).isEmpty();
    }

    @Test
    void livePidThatIsNotThisMachinesFirecrackerIsNotAlive() throws Exception {
        VmmInstance instance = new VmmInstance(FirecrackerVmm.NAME, ProcessHandle.current().pid(), vmDir,
                vmDir.resolve("firecracker.vsock"), VmmInstance.AgentTransport.HYBRID_VSOCK);
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));

        assertThat(vmm.isAlive(instance)).isFalse();
    }

    @Test
    void binaryWhoseNameDoesNotMentionFirecrackerIsCreatedAndStoppedLeavingNoProcess() throws Exception {
        vmm = vmm(servingFirecracker("fc"), Duration.ofSeconds(10));

        VmmInstance instance = vmm.startPaused(Specs.full(vmDir));
        vmm.resume(instance);

        assertThat(instance.pid()).isEqualTo(fakePid().orElseThrow());
        assertThat(instance.startTicks()).isPresent();
        assertThat(vmm.isAlive(instance)).as("recognised by its API socket, not its name").isTrue();
        vmm.stop(instance, Duration.ofSeconds(20));

        assertGone(instance.pid());
        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText()).last().isEqualTo("SendCtrlAltDel");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void restartedDaemonStopsAMachineFromItsStoredInstanceOrFromOneStoredBeforeStartTimesWereKept() throws Exception {
        vmm = vmm(servingFirecracker("fc"), Duration.ofSeconds(10));
        VmmInstance instance = vmm.start(Specs.full(vmDir));

        String stored = Json.mapper().writeValueAsString(instance);
        VmmInstance read = Json.mapper().readValue(stored, VmmInstance.class);
        ObjectNode beforeStartTimes = (ObjectNode) Json.mapper().readTree(stored);
        beforeStartTimes.remove("startTicks");
        VmmInstance old = Json.mapper().treeToValue(beforeStartTimes, VmmInstance.class);
        try (FirecrackerVmm restarted = vmm(servingFirecracker("fc"), Duration.ofSeconds(10))) {
            assertThat(read).isEqualTo(instance);
            assertThat(old.startTicks()).as("an old record loads without a start time").isEmpty();
            assertThat(restarted.isAlive(read)).isTrue();
            assertThat(restarted.isAlive(old)).isTrue();

            restarted.stop(read, Duration.ofSeconds(20));
        }

        assertGone(instance.pid());
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void failedBootOfABinaryWhoseNameDoesNotMentionFirecrackerLeavesNoProcess() throws Exception {
        api.refuse("/actions", "Cannot start microvm that was already started");
        vmm = vmm(servingFirecracker("fc"), Duration.ofSeconds(10));

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("Cannot start microvm");

        assertGone(fakePid().orElseThrow());
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText())
                .as("a machine that never booted is not sent Ctrl-Alt-Del").doesNotContain("SendCtrlAltDel");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void machineThatNeverBootedIsEndedAtOnceWithoutCtrlAltDel() throws Exception {
        vmm = vmm(servingFirecracker("fc"), Duration.ofSeconds(10));
        VmmInstance instance = vmm.startPaused(Specs.full(vmDir));

        // A grace far beyond the test's timeout: stop must not wait for a shutdown that cannot come.
        vmm.stop(instance, Duration.ofHours(1));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).doesNotContain("/actions");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void machineRefusingCtrlAltDelIsEndedAtOnce() throws Exception {
        vmm = vmm(servingFirecracker(), Duration.ofSeconds(10));
        VmmInstance instance = vmm.start(Specs.full(vmDir));
        api.refuse("/actions", "The requested operation is not supported on this architecture");

        vmm.stop(instance, Duration.ofHours(1));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText()).last().isEqualTo("SendCtrlAltDel");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void pidThatStartedAtAnotherTimeOrServesAnotherApiSocketIsNeverSignalled() throws Exception {
        vmm = vmm(servingFirecracker("fc"), Duration.ofSeconds(10));
        VmmInstance instance = vmm.startPaused(Specs.full(vmDir));
        long started = instance.startTicks().orElseThrow();
        VmmInstance recycled = new VmmInstance(FirecrackerVmm.NAME, instance.pid(), vmDir, instance.agentSocket(),
                instance.agentTransport(), OptionalLong.of(started + 1), null);
        Path otherDir = Files.createDirectories(dir.resolve("vms/dev2"));
        VmmInstance otherMachine = new VmmInstance(FirecrackerVmm.NAME, instance.pid(), otherDir,
                otherDir.resolve("firecracker.vsock"), instance.agentTransport(), OptionalLong.of(started), null);

        assertThat(vmm.isAlive(recycled)).isFalse();
        assertThat(vmm.isAlive(otherMachine)).isFalse();
        vmm.stop(recycled, Duration.ofSeconds(1));
        vmm.stop(otherMachine, Duration.ofSeconds(1));

        assertThat(ProcessHandle.of(instance.pid()).filter(ProcessHandle::isAlive)).as("not signalled").isPresent();
        assertThat(vmm.isAlive(instance)).isTrue();
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).doesNotContain("/actions");
        vmm.stop(instance, Duration.ofSeconds(20));
        assertGone(instance.pid());
    }

    private FirecrackerVmm vmm(Path binary, Duration socketTimeout) {
        return new FirecrackerVmm(new FirecrackerVmm.Settings(binary, socketTimeout, Duration.ofSeconds(5)));
    }

    /** A fake that serves the test's API server on whatever socket it is told, until told to stop. */
    private Path servingFirecracker() throws IOException {
        return servingFirecracker("firecracker");
    }

    /** {@link #servingFirecracker()} installed as {@code name}. */
    private Path servingFirecracker(String name) throws IOException {
        return fakeFirecracker(name, """
                echo $$ > '%s'
                echo "fake firecracker: starting with $*"
                sock=
                while [ $# -gt 0 ]; do
                  if [ "$1" = "--api-sock" ]; then sock="$2"; fi
                  shift
                done
                ln -s '%s' "$sock"
                read -r line < '%s'
                echo "fake firecracker: exiting after $line"
                """.formatted(pidFile, serverSocket, stopFifo));
    }

    /** Writes an executable script named {@code firecracker}, the name the runtime bundle uses. */
    private Path fakeFirecracker(String body) throws IOException {
        return fakeFirecracker("firecracker", body);
    }

    private Path fakeFirecracker(String name, String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** What Firecracker does on Ctrl-Alt-Del with reboot=k: exit. Opening read-write never blocks on Linux. */
    private void letFakeExit() {
        try (FileChannel fifo = FileChannel.open(stopFifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            fifo.write(ByteBuffer.wrap("ctrl-alt-del\n".getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Long> fakePid() throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
    }
}
