package dev.banger.vmm.firecracker;

import static dev.banger.vmm.firecracker.ContractBodies.assertGone;
import static dev.banger.vmm.firecracker.ContractBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.Command;
import dev.banger.host.DetachedProcess;
import dev.banger.host.FileTrees;
import dev.banger.host.ProcessHostCommands;
import dev.banger.host.disk.DiskFormat;
import dev.banger.rpc.Json;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Drives the real {@link FirecrackerVmm} through a fake jailer ({@link FakeJail}) that really
 * chroots into the jail it builds and execs the copied fake Firecracker in place; the fake "opens"
 * its API socket by linking {@code /firecracker.sock} to {@link FakeFirecrackerApi}, which checks
 * every request against the project's reference of Firecracker's API. Root only: chroot and mknod
 * need it.
 */
@Tag("root")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirecrackerJailContractTest {
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    @TempDir
    Path dir;

    private Path vmDir;
    private Path kernel;
    private Path initrd;
    private Path serverSocket;
    private JailLayout jail;
    private FakeFirecrackerApi api;
    private FakeJail fakes;
    private final List<FirecrackerVmm> vmms = new ArrayList<>();
    private final List<Process> lookalikes = new ArrayList<>();
    private final List<String> loopDevices = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        // Tagged root: make test runs it as root after make deps installed busybox-static; not a reason to skip.
        assertThat(System.getProperty("user.name")).as("chroot and mknod need root").isEqualTo("root");
        assertThat(busybox()).as("a static busybox runs the fake Firecracker inside the jail (make deps installs it)").isPresent();
        vmDir = Files.createDirectories(dir.resolve("vms/dev1"));
        Path images = Files.createDirectories(dir.resolve("images"));
        kernel = Files.writeString(images.resolve("vmlinux"), "kernel");
        initrd = Files.writeString(images.resolve("initrd.img"), "initrd");
        Files.writeString(vmDir.resolve("root.ext4"), "root disk");
        Files.writeString(vmDir.resolve("work.ext4"), "work disk");
        serverSocket = dir.resolve("api.sock");
        jail = new JailLayout(vmDir, "firecracker", "dev1");
        fakes = new FakeJail(dir);
        api = FakeFirecrackerApi.start(serverSocket);
        api.onAction("SendCtrlAltDel", this::letFakeExit);
    }

    @AfterEach
    void tearDown() throws Exception {
        vmms.forEach(FirecrackerVmm::close);
        if (api != null) {
            api.close();
        }
        if (jail != null) {
            fakePid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (Process lookalike : lookalikes) {
            lookalike.destroyForcibly();
            lookalike.waitFor(10, TimeUnit.SECONDS);
        }
        for (String loop : loopDevices) {
            new ProcessHostCommands().exec(Command.of("losetup", "-d", loop));
        }
    }

    @Test
    void jailedCreateSendsOnlyChrootRelativePathsTheApiDocumentAllowsAndStopWorksAfterARestart() throws Exception {
        FirecrackerVmm vmm = vmm(jailingSettings(servingFirecracker(), Duration.ofSeconds(10)));

        VmmInstance instance = vmm.start(spec(vmDir.resolve("work.ext4")));

        assertThat(instance.pid()).as("the jailer and chroot exec in place").isEqualTo(fakePid().orElseThrow());
        assertThat(instance.agentSocket()).isEqualTo(jail.root().resolve("firecracker.vsock"));
        assertThat(instance.vmDir()).isEqualTo(vmDir);
        assertThat(Files.isSameFile(Path.of("/proc", Long.toString(instance.pid()), "root"), jail.root()))
                .as("the fake really runs chrooted in the jail").isTrue();
        assertThat(api.violations()).isEmpty();
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::body).containsExactly(
                json("log_path", "/firecracker-vmm.log", "level", "Info"),
                json("metrics_path", "/firecracker-metrics.json"),
                json("vcpu_count", 2, "mem_size_mib", 512, "smt", false),
                json("kernel_image_path", "/boot/kernel", "initrd_path", "/boot/initrd", "boot_args", Specs.BOOT_ARGS),
                json("drive_id", "root", "path_on_host", "/drives/root", "is_root_device", true, "is_read_only", false),
                json("drive_id", "work", "path_on_host", "/drives/work", "is_root_device", false, "is_read_only", false),
                json("iface_id", "eth0", "host_dev_name", "tap-bg0", "guest_mac", "02:fc:00:00:00:07"),
                json("guest_cid", 7, "uds_path", "/firecracker.vsock"),
                json(),
                json("action_type", "InstanceStart"));
        assertThat(Files.isSameFile(jail.root().resolve("boot/kernel"), kernel)).isTrue();
        assertThat(Files.isSameFile(jail.root().resolve("boot/initrd"), initrd)).isTrue();
        assertThat(Files.isSameFile(jail.root().resolve("drives/root"), vmDir.resolve("root.ext4"))).isTrue();
        assertThat(Files.isSameFile(jail.root().resolve("drives/work"), vmDir.resolve("work.ext4"))).isTrue();
        assertThat(jail.root().resolve("firecracker-vmm.log")).isRegularFile();
        assertThat(jail.root().resolve("firecracker-metrics.json")).isRegularFile();
        assertThat(Files.readString(vmDir.resolve("firecracker.log")))
                .as("the console log is the jailer's stdout, kept outside the jail")
                .contains("fake firecracker: starting with --id dev1");

        // A daemon restarted with jailing switched off still finds and stops the jailed machine.
        FirecrackerVmm restarted = vmm(new FirecrackerVmm.Settings(servingFirecracker(), Duration.ofSeconds(10), Duration.ofSeconds(5)));
        VmmInstance stored = new VmmInstance(instance.backend(), instance.pid(), instance.vmDir(), instance.agentSocket(),
                instance.agentTransport());
        assertThat(restarted.isAlive(stored)).isTrue();
        assertThat(restarted.consoleLog(vmDir)).isEqualTo(vmDir.resolve("firecracker.log"));

        restarted.stop(stored, Duration.ofSeconds(20));

        assertGone(instance.pid());
        assertThat(restarted.isAlive(stored)).isFalse();
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText()).last().isEqualTo("SendCtrlAltDel");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void binaryConfiguredUnderAnotherNameRunsJailedAndIsStoppedFromItsStoredInstanceAfterARestart() throws Exception {
        Path fc = Files.createSymbolicLink(Files.createDirectories(dir.resolve("local-bin")).resolve("fc"), servingFirecracker());
        FirecrackerVmm vmm = vmm(jailingSettings(fc, Duration.ofSeconds(10)));

        VmmInstance instance = vmm.start(spec(vmDir.resolve("work.ext4")));

        assertThat(instance.pid()).isEqualTo(fakePid().orElseThrow());
        assertThat(DetachedProcess.cmdline(instance.pid())).as("the fake runs under busybox: no name to go by")
                .startsWith("/bin/busybox");
        FirecrackerVmm restarted = vmm(new FirecrackerVmm.Settings(fc, Duration.ofSeconds(10), Duration.ofSeconds(5)));
        VmmInstance stored = Json.mapper().readValue(Json.mapper().writeValueAsString(instance), VmmInstance.class);
        assertThat(stored.startTicks()).isEqualTo(instance.startTicks()).isPresent();
        assertThat(restarted.isAlive(stored)).isTrue();

        restarted.stop(stored, Duration.ofSeconds(20));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(r -> r.body().path("action_type").asText()).last().isEqualTo("SendCtrlAltDel");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void jailedMachineThatNeverBootedIsEndedAtOnceWithoutCtrlAltDel() throws Exception {
        FirecrackerVmm vmm = vmm(jailingSettings(servingFirecracker(), Duration.ofSeconds(10)));
        VmmInstance instance = vmm.startPaused(spec(vmDir.resolve("work.ext4")));

        // A grace far beyond the test's timeout: stop must not wait for a shutdown that cannot come.
        vmm.stop(instance, Duration.ofHours(1));

        assertGone(instance.pid());
        assertThat(api.received()).extracting(FakeFirecrackerApi.Received::path).doesNotContain("/actions");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void vmDirectoryWithTheJailersDeviceNodesIsRemovedCompletelyAfterStop() throws Exception {
        FirecrackerVmm vmm = vmm(jailingSettings(servingFirecracker(), Duration.ofSeconds(10)));
        VmmInstance instance = vmm.start(spec(vmDir.resolve("work.ext4")));
        assertThat(jail.root().resolve("dev/kvm")).exists();
        vmm.stop(instance, Duration.ofSeconds(20));

        FileTrees.delete(vmDir);

        assertThat(vmDir).doesNotExist();
        assertThat(kernel).as("only the link in the jail went").hasContent("kernel");
    }

    @Test
    void secondStartReplacesTheJailTheLastRunLeft() throws Exception {
        FirecrackerVmm vmm = vmm(jailingSettings(servingFirecracker(), Duration.ofSeconds(10)));
        vmm.stop(vmm.start(spec(vmDir.resolve("work.ext4"))), Duration.ofSeconds(20));

        VmmInstance again = vmm.start(spec(vmDir.resolve("work.ext4")));

        assertThat(vmm.isAlive(again)).as("the fake jailer, like the real one, refuses existing device nodes").isTrue();
        vmm.stop(again, Duration.ofSeconds(20));
        assertGone(again.pid());
    }

    @Test
    void blockDeviceDriveGetsADeviceNodeWithTheSameNumbersInsideTheJail() throws Exception {
        Path backing = Files.write(dir.resolve("work.img"), new byte[1024 * 1024]);
        String loop = new ProcessHostCommands().run("losetup", "-f", "--show", backing.toString()).stdout().strip();
        loopDevices.add(loop);
        FirecrackerVmm vmm = vmm(jailingSettings(servingFirecracker(), Duration.ofSeconds(10)));

        VmmInstance instance = vmm.start(spec(Path.of(loop)));

        Path node = jail.root().resolve("drives/work");
        assertThat((Integer) Files.getAttribute(node, "unix:mode") & S_IFMT).isEqualTo(S_IFBLK);
        assertThat(Files.getAttribute(node, "unix:rdev")).isEqualTo(Files.getAttribute(Path.of(loop), "unix:rdev"));
        assertThat(api.received()).extracting(r -> r.body().path("path_on_host").asText()).contains("/drives/work");
        vmm.stop(instance, Duration.ofSeconds(20));
    }

    @Test
    void jailedFirecrackerThatNeverOpensItsSocketIsKilledAtTheDeadline() throws Exception {
        FirecrackerVmm vmm = vmm(jailingSettings(fakeFirecracker("""
                echo "fake firecracker: jailed, never listening"
                read -r line < /stop.fifo
                """), Duration.ofMillis(1500)));

        assertThatThrownBy(() -> vmm.start(spec(vmDir.resolve("work.ext4"))))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("did not open its API socket " + jail.apiSocket() + " within 1500 ms")
                .hasMessageContaining("fake firecracker: jailed, never listening");

        assertGone(fakePid().orElseThrow());
    }

    @Test
    void refusedConfigurationKillsTheJailedProcess() throws Exception {
        api.refuse("/boot-source", "The kernel file cannot be opened: No such file or directory (os error 2)");
        FirecrackerVmm vmm = vmm(jailingSettings(servingFirecracker(), Duration.ofSeconds(10)));

        assertThatThrownBy(() -> vmm.start(spec(vmDir.resolve("work.ext4"))))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("jailed firecracker for VM dev1")
                .hasMessageContaining("The kernel file cannot be opened");

        assertGone(fakePid().orElseThrow());
    }

    @Test
    void processLookingLikeTheJailedFirecrackerButNotInItsJailIsNotAlive() throws Exception {
        Files.createDirectories(jail.root());
        Path lookalike = fakeFirecracker("read -r line\n");
        Process process = new ProcessBuilder(lookalike.toString(), "--id", "dev1", "--api-sock", "/firecracker.sock").start();
        lookalikes.add(process);
        awaitCmdline(process, "--api-sock");
        VmmInstance instance = new VmmInstance(FirecrackerVmm.NAME, process.pid(), vmDir, jail.vsockSocket(),
                VmmInstance.AgentTransport.HYBRID_VSOCK);
        FirecrackerVmm vmm = vmm(jailingSettings(lookalike, Duration.ofSeconds(10)));

        assertThat(vmm.isAlive(instance)).isFalse();
        vmm.stop(instance, Duration.ofSeconds(1));
        assertThat(process.isAlive()).as("a pid that is not ours is never signalled").isTrue();
        assertThat(api.received()).isEmpty();
    }

    private FirecrackerVmm vmm(FirecrackerVmm.Settings settings) {
        FirecrackerVmm vmm = new FirecrackerVmm(settings);
        vmms.add(vmm);
        return vmm;
    }

    private FirecrackerVmm.Settings jailingSettings(Path firecracker, Duration socketTimeout) throws IOException {
        return new FirecrackerVmm.Settings(firecracker, true, Optional.of(fakeJailer()), socketTimeout, Duration.ofSeconds(5));
    }

    private MachineSpec spec(Path workDrive) {
        return new MachineSpec("dev1", vmDir, 2, 512, kernel, initrd, Specs.BOOT_ARGS,
                List.of(new MachineSpec.Drive("root", vmDir.resolve("root.ext4"), DiskFormat.RAW, false),
                        new MachineSpec.Drive("work", workDrive, DiskFormat.RAW, false)),
                new MachineSpec.Nic("tap-bg0", "02:fc:00:00:00:07"), 7, 10000);
    }

    private Path fakeJailer() throws IOException {
        return fakes.jailer();
    }

    private Path servingFirecracker() throws IOException {
        return fakes.servingFirecracker(serverSocket);
    }

    private Path fakeFirecracker(String body) throws IOException {
        return fakes.firecracker(body);
    }

    private static Optional<Path> busybox() {
        return FakeJail.busybox();
    }

    /** What Firecracker does on Ctrl-Alt-Del with reboot=k: exit. The next start is a new process, so the fake API is back before boot. */
    private void letFakeExit() {
        FakeJail.letExit(jail, "ctrl-alt-del");
        api.newProcess();
    }

    private Optional<Long> fakePid() throws IOException {
        return FakeJail.pid(jail);
    }

    private static void awaitCmdline(Process process, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!DetachedProcess.cmdline(process.pid()).contains(marker)) {
            assertThat(System.nanoTime()).as("the lookalike shows its command line in time").isLessThan(deadline);
            assertThat(process.waitFor(5, TimeUnit.MILLISECONDS)).as("the lookalike exited early").isFalse();
        }
    }
}
