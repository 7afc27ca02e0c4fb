package dev.banger.vmm.firecracker;

import static dev.banger.vmm.firecracker.ContractBodies.assertGone;
import static dev.banger.vmm.firecracker.ContractBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.host.disk.DiskFormat;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real {@link FirecrackerVmm}'s snapshots through {@link FakeJail} and
 * {@link FakeFirecrackerApi}: a save pauses the booted machine and writes a full snapshot that
 * leaves the jail for the caller's directory; a restore builds a fresh jail with the same drive
 * paths, loads the snapshot with this VM's TAP and vsock, and lets it run with {@code PATCH /vm}.
 * The fake writes and reads the snapshot files where the jailed Firecracker would (inside the
 * jail), and every request is checked against the project's reference of the API, including that
 * a load comes first on a fresh process and a snapshot only while paused. Root only: chroot and
 * mknod need it.
 */
@Tag("root")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirecrackerSnapshotContractTest {
    private static final String STATE = "saved device state";
    private static final String MEMORY = "saved guest memory";

    @TempDir
    Path dir;

    private Path kernel;
    private Path initrd;
    private Path serverSocket;
    private Path saved;
    private FakeJail fakes;
    private FakeFirecrackerApi api;
    private final List<JailLayout> jails = new ArrayList<>();
    private final List<FirecrackerVmm> vmms = new ArrayList<>();
    /** The jail whose fake the next Ctrl-Alt-Del ends. */
    private JailLayout current;

    @BeforeEach
    void setUp() throws Exception {
        assertThat(System.getProperty("user.name")).as("chroot and mknod need root").isEqualTo("root");
        assertThat(FakeJail.busybox()).as("a static busybox runs the fake Firecracker inside the jail (make deps installs it)").isPresent();
        Path images = Files.createDirectories(dir.resolve("images"));
        kernel = Files.writeString(images.resolve("vmlinux"), "kernel");
        initrd = Files.writeString(images.resolve("initrd.img"), "initrd");
        saved = Files.createDirectories(dir.resolve("snapshots/golden"));
        serverSocket = dir.resolve("api.sock");
        fakes = new FakeJail(dir);
        api = FakeFirecrackerApi.start(serverSocket);
        api.onAction("SendCtrlAltDel", () -> {
            FakeJail.letExit(current, "ctrl-alt-del");
            api.newProcess();
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        vmms.forEach(FirecrackerVmm::close);
        if (api != null) {
            api.close();
        }
        for (JailLayout jail : jails) {
            FakeJail.pid(jail).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void savePausesTheMachineWritesAFullSnapshotInItsJailAndMovesItOutPrivatelyEndingTheProcess() throws Exception {
        JailLayout jail = jail("dev1");
        api.onRequest("/snapshot/create", body -> {
            write(inJail(jail, body.path("snapshot_path")), STATE);
            write(inJail(jail, body.path("mem_file_path")), MEMORY);
        });
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));
        VmmInstance instance = vmm.start(spec("dev1", "tap-bg0"));
        int booted = api.received().size();

        SnapshotFiles files = vmm.saveSnapshot(instance, saved);

        assertThat(api.received().subList(booted, api.received().size())).extracting(r -> r.method() + " " + r.path() + " " + r.body())
                .as("pause, then the snapshot; nothing else, no Ctrl-Alt-Del").containsExactly(
                        "PATCH /vm " + json("state", "Paused"),
                        "PUT /snapshot/create " + json("snapshot_type", "Full", "snapshot_path", "/snapshot/state",
                                "mem_file_path", "/snapshot/memory"));
        assertThat(files).isEqualTo(new SnapshotFiles(saved.resolve("firecracker.vmstate"),
                Optional.of(saved.resolve("firecracker.mem"))));
        assertThat(files.state()).hasContent(STATE);
        assertThat(files.memory().orElseThrow()).hasContent(MEMORY);
        for (Path file : List.of(files.state(), files.memory().orElseThrow())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file).isEqualTo("rw-------");
        }
        assertThat(jail.snapshotState()).as("moved out of the jail").doesNotExist();
        assertThat(jail.snapshotMemory()).doesNotExist();
        assertGone(instance.pid());
        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void failedSnapshotRemovesWhatWasWrittenAndEndsTheProcess() throws Exception {
        JailLayout jail = jail("dev1");
        api.onRequest("/snapshot/create", body -> {
            write(inJail(jail, body.path("mem_file_path")), "half of the memory");
            throw new IllegalStateException("Cannot write the memory file: No space left on device (os error 28)");
        });
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));
        VmmInstance instance = vmm.start(spec("dev1", "tap-bg0"));

        assertThatThrownBy(() -> vmm.saveSnapshot(instance, saved))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("could not save a snapshot into " + saved)
                .hasMessageContaining("PUT /snapshot/create")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("fake firecracker: starting");

        assertGone(instance.pid());
        assertThat(jail.snapshotMemory()).as("the partial file is gone").doesNotExist();
        try (var left = Files.list(saved)) {
            assertThat(left).isEmpty();
        }
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void restoreLoadsTheSnapshotIntoAFreshJailWithThisVmsTapAndVsockAndResumesWithPatchVm() throws Exception {
        SnapshotFiles files = savedFiles();
        JailLayout jail = jail("dev2");
        List<String> seenAtLoad = new ArrayList<>();
        api.onRequest("/snapshot/load", body -> seenAtLoad.add(read(inJail(jail, body.path("snapshot_path"))) + " + "
                + read(inJail(jail, body.path("mem_backend").path("backend_path")))));
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));
        MachineSpec spec = spec("dev2", "tap-bg1");

        VmmInstance instance = vmm.restorePaused(spec, files);

        assertThat(api.received()).extracting(r -> r.method() + " " + r.path() + " " + r.body()).containsExactly(
                "PUT /logger " + json("log_path", "/firecracker-vmm.log", "level", "Info"),
                "PUT /metrics " + json("metrics_path", "/firecracker-metrics.json"),
                "PUT /snapshot/load " + json(
                        "snapshot_path", "/snapshot/state",
                        "mem_backend", json("backend_type", "File", "backend_path", "/snapshot/memory"),
                        "resume_vm", false,
                        "network_overrides", List.of(json("iface_id", "eth0", "host_dev_name", "tap-bg1")),
                        "vsock_override", json("uds_path", "/firecracker.vsock")));
        assertThat(seenAtLoad).as("the files were in the jail when Firecracker loaded them").containsExactly(STATE + " + " + MEMORY);
        assertThat(Files.isSameFile(jail.snapshotState(), files.state())).as("hard-linked, not copied").isTrue();
        assertThat(Files.isSameFile(jail.snapshotMemory(), files.memory().orElseThrow())).isTrue();
        assertThat(Files.isSameFile(jail.drive("root"), spec.drives().get(0).path()))
                .as("this VM's own disk at the path the saved machine had").isTrue();
        assertThat(Files.isSameFile(jail.drive("work"), spec.drives().get(1).path())).isTrue();
        assertThat(instance.pid()).isEqualTo(FakeJail.pid(jail).orElseThrow());
        assertThat(instance.agentSocket()).isEqualTo(jail.vsockSocket());
        assertThat(vmm.isAlive(instance)).isTrue();

        vmm.resume(instance);

        assertThat(api.received()).extracting(r -> r.method() + " " + r.path() + " " + r.body()).last()
                .isEqualTo("PATCH /vm " + json("state", "Resumed"));
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).as("no InstanceStart").doesNotContain("/actions");
        assertThat(files.state()).as("the snapshot is left as it was").hasContent(STATE);

        vmm.stop(instance, Duration.ofSeconds(20));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText()).last()
                .as("a resumed machine is shut down like a booted one").isEqualTo("SendCtrlAltDel");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void restoredMachineStoppedBeforeItsResumeIsEndedAtOnce() throws Exception {
        SnapshotFiles files = savedFiles();
        jail("dev2");
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));
        VmmInstance instance = vmm.restorePaused(spec("dev2", "tap-bg1"), files);

        // A grace far beyond the test's timeout: its vCPUs are paused, no Ctrl-Alt-Del would be seen.
        vmm.stop(instance, Duration.ofHours(1));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).doesNotContain("/actions", "/vm");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void refusedLoadKillsTheProcessAndTheErrorNamesFirecrackersFault() throws Exception {
        SnapshotFiles files = savedFiles();
        JailLayout jail = jail("dev2");
        api.refuse("/snapshot/load", "Load snapshot error: Failed to restore from snapshot: Failed to get snapshot state"
                + " from file: Invalid data version");
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));

        assertThatThrownBy(() -> vmm.restorePaused(spec("dev2", "tap-bg1"), files))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("jailed firecracker for VM dev2")
                .hasMessageContaining("restoring " + files.state())
                .hasMessageContaining("PUT /snapshot/load")
                .hasMessageContaining("Invalid data version")
                .hasMessageContaining("fake firecracker: starting");

        assertGone(FakeJail.pid(jail).orElseThrow());
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void processExitingDuringTheLoadIsKilledAndReportedWithItsLog() throws Exception {
        SnapshotFiles files = savedFiles();
        JailLayout jail = jail("dev2");
        api.onRequest("/snapshot/load", body -> FakeJail.letExit(jail, "a crash while loading"));
        api.neverAnswer("/snapshot/load");
        FirecrackerVmm vmm = vmm(Duration.ofMillis(1500));

        assertThatThrownBy(() -> vmm.restorePaused(spec("dev2", "tap-bg1"), files))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("PUT /snapshot/load")
                .hasMessageContaining("fake firecracker: exiting after a crash while loading");

        assertGone(FakeJail.pid(jail).orElseThrow());
    }

    @Test
    void growingADriveOfARestoredMachineGrowsItsFileAndHasFirecrackerReadItAgain() throws Exception {
        SnapshotFiles files = savedFiles();
        jail("dev2");
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));
        MachineSpec spec = spec("dev2", "tap-bg1");
        VmmInstance instance = vmm.restorePaused(spec, files);
        vmm.resume(instance);

        vmm.growDrive(instance, "work", 1 << 20);

        assertThat(Files.size(spec.drives().get(1).path())).isEqualTo(1 << 20);
        assertThat(api.received()).extracting(r -> r.method() + " " + r.path() + " " + r.body()).last()
                .isEqualTo("PATCH /drives/work " + json("drive_id", "work", "path_on_host", "/drives/work"));
        assertThatThrownBy(() -> vmm.growDrive(instance, "work", 4096))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("never shrinks");
        assertThat(Files.size(spec.drives().get(1).path())).isEqualTo(1 << 20);
        assertThat(api.violations()).isEmpty();
        vmm.stop(instance, Duration.ofSeconds(20));
    }

    @Test
    void savedMachineRestoresIntoAnotherVmWhileTheSnapshotStaysWhole() throws Exception {
        JailLayout source = jail("dev1");
        api.onRequest("/snapshot/create", body -> {
            write(inJail(source, body.path("snapshot_path")), STATE);
            write(inJail(source, body.path("mem_file_path")), MEMORY);
        });
        FirecrackerVmm vmm = vmm(Duration.ofSeconds(5));
        SnapshotFiles files = vmm.saveSnapshot(vmm.start(spec("dev1", "tap-bg0")), saved);
        api.newProcess();
        jail("dev2");

        VmmInstance restored = vmm.restorePaused(spec("dev2", "tap-bg1"), files);
        vmm.resume(restored);

        assertThat(vmm.isAlive(restored)).isTrue();
        assertThat(files.state()).hasContent(STATE);
        assertThat(files.memory().orElseThrow()).hasContent(MEMORY);
        assertThat(api.violations()).isEmpty();
        vmm.stop(restored, Duration.ofSeconds(20));
        assertGone(restored.pid());
    }

    private FirecrackerVmm vmm(Duration apiTimeout) throws IOException {
        FirecrackerVmm vmm = new FirecrackerVmm(fakes.settings(fakes.servingFirecracker(serverSocket), Duration.ofSeconds(10), apiTimeout));
        vmms.add(vmm);
        assertThat(vmm.savesSnapshots()).as("jailed").isTrue();
        return vmm;
    }

    /** A VM directory with its two disks, and the jail it gets; its fake is the one Ctrl-Alt-Del ends from now. */
    private JailLayout jail(String name) throws IOException {
        Path vmDir = Files.createDirectories(dir.resolve("vms").resolve(name));
        Files.writeString(vmDir.resolve("root.ext4"), name + " root disk");
        Files.writeString(vmDir.resolve("work.ext4"), name + " work disk");
        current = new JailLayout(vmDir, "firecracker", name);
        jails.add(current);
        return current;
    }

    private MachineSpec spec(String name, String tap) {
        Path vmDir = dir.resolve("vms").resolve(name);
        return new MachineSpec(name, vmDir, 2, 512, kernel, initrd, Specs.BOOT_ARGS,
                List.of(new MachineSpec.Drive("root", vmDir.resolve("root.ext4"), DiskFormat.RAW, false),
                        new MachineSpec.Drive("work", vmDir.resolve("work.ext4"), DiskFormat.RAW, false)),
                new MachineSpec.Nic(tap, "02:fc:00:00:00:07"), 7, 10000);
    }

    /** Snapshot files as a save leaves them, written directly. */
    private SnapshotFiles savedFiles() throws IOException {
        return new SnapshotFiles(write(saved.resolve("firecracker.vmstate"), STATE),
                Optional.of(write(saved.resolve("firecracker.mem"), MEMORY)));
    }

    /** Where a path the jailed Firecracker was given is on the host. */
    private static Path inJail(JailLayout jail, JsonNode path) {
        assertThat(path.asText()).startsWith("/");
        return jail.root().resolve(path.asText().substring(1));
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
