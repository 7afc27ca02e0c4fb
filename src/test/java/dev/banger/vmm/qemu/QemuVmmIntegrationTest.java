package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.agent.AgentException;
import dev.banger.agent.HttpAgentClient;
import dev.banger.config.QemuConfig;
import dev.banger.guestconfig.ConfigDrive;
import dev.banger.guestconfig.GuestConfig;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.host.disk.DiskFormat;
import dev.banger.image.NicBootstrapScript;
import dev.banger.model.HealthReport;
import dev.banger.runtime.RuntimeArtifacts;
import dev.banger.runtime.RuntimeBundle;
import dev.banger.runtime.RuntimeBundleException;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.MachineSpec.Drive;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Boots the runtime bundle's kernel and busybox initramfs under real QEMU (TCG, 1 vCPU, 256 MiB) on a
 * tiny ext4 root whose init prints a marker and idles, then stops it. The root's init reads
 * {@code banger_test_cad=} from the kernel command line: {@code reboot} makes Ctrl-Alt-Delete reboot at
 * once (so {@code -no-reboot} ends QEMU), {@code ignore} makes the kernel send SIGINT to pid 1 instead,
 * which ignores it, as a guest whose init does not handle Ctrl-Alt-Delete would. A booted guest is also saved and
 * restored twice, each copy on its own qcow2 overlays of the saved machine's. Every QEMU whose command line names the
 * test's directory is killed afterwards, also on failure.
 */
@Tag("root")
class QemuVmmIntegrationTest {
    /** Overrides where the runtime bundle is; else {@code BANGER_RUNTIME_BUNDLE}, else the usual discovery. */
    static final String BUNDLE_PROPERTY = "banger.runtime.bundle";
    private static final String MARKER = "BANGER-GUEST-UP";
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(90);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final ProcessHostCommands HOST = new ProcessHostCommands();

    private static Path kernel;
    private static Path initrd;
    private static Path work;
    private static Path rootImage;

    private Path testDir;
    private final QemuVmm vmm = QemuVmm.forHost(HOST, QemuConfig.DEFAULTS, false);

    @BeforeAll
    static void locateBundleAndBuildRoot() throws IOException {
        RuntimeBundle bundle = bundle();
        kernel = bundle.find(RuntimeArtifacts.KERNEL_VMLINUX).orElse(null);
        initrd = bundle.find(RuntimeArtifacts.INITRD).orElse(null);
        // make test stages the bundle and installs QEMU and busybox first; anything missing is a broken setup, not a skip.
        require(kernel != null && initrd != null,
                "the runtime bundle at " + bundle.root() + " lacks kernel/vmlinux or kernel/initrd.img; run `make runtime`");
        require(HOST.available("qemu-system-x86_64"), "qemu-system-x86_64 is not installed; run `make deps`");
        Path busybox = Stream.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox")).filter(Files::isRegularFile)
                .findFirst().orElse(null);
        require(busybox != null, "no static busybox on this host; run `make deps`");

        work = Files.createTempDirectory("banger-qemu-it");
        Path root = work.resolve("rootfs");
        for (String dir : List.of("bin", "sbin", "proc", "sys", "dev")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.copy(busybox, root.resolve("bin/busybox"));
        Path agent = bundle.find(RuntimeArtifacts.AGENT).orElse(null);
        require(agent != null, "the runtime bundle at " + bundle.root() + " has no banger-agent; run `make runtime`");
        Files.copy(agent, root.resolve("bin/banger-agent"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(root.resolve("sbin/init"), """
                #!/bin/sh
                /bin/busybox mount -t proc proc /proc
                case "$(/bin/busybox cat /proc/cmdline)" in
                  *banger_test_cad=reboot*) echo 1 > /proc/sys/kernel/ctrl-alt-del ;;
                  *) echo 0 > /proc/sys/kernel/ctrl-alt-del; trap '' INT ;;
                esac
                # What udev would do: name the agent's virtio-serial port under /dev/virtio-ports.
                /bin/busybox mount -t sysfs sysfs /sys
                for port in /sys/class/virtio-ports/*; do
                  if [ "$(/bin/busybox cat "$port/name" 2>/dev/null)" = org.banger.agent.0 ]; then
                    /bin/busybox mkdir -p /dev/virtio-ports
                    /bin/busybox ln -s "../${port##*/}" /dev/virtio-ports/org.banger.agent.0
                  fi
                done
                [ -x /bin/banger-agent ] && /bin/banger-agent &
                # What a warm machine's guest sees: its disks (sectors, serial) and what the NIC script makes of them.
                for disk in /sys/block/vd*; do
                  echo "DISK ${disk##*/} $(/bin/busybox cat "$disk/size") $(/bin/busybox cat "$disk/serial" 2>/dev/null)"
                done
                BANGER_NET_DRY_RUN=1 BANGER_RESOLV=/resolv.conf /bin/sh /bin/banger-net-setup
                echo %s
                while :; do /bin/busybox sleep 1; done
                """.formatted(MARKER));
        Files.writeString(root.resolve("bin/banger-net-setup"), NicBootstrapScript.text());
        HOST.run("chmod", "0755", root.resolve("bin/busybox").toString(), root.resolve("sbin/init").toString());
        HOST.run("chmod", "0755", root.resolve("bin/banger-agent").toString());
        rootImage = work.resolve("root.ext4");
        HOST.run(Command.of("mkfs.ext4", "-q", "-F", "-d", root.toString(), rootImage.toString(), "16M")
                .withTimeout(Duration.ofMinutes(1)));
    }

    private static RuntimeBundle bundle() {
        String explicit = System.getProperty(BUNDLE_PROPERTY);
        try {
            return explicit != null && !explicit.isBlank() ? RuntimeBundle.at(Path.of(explicit)) : RuntimeBundle.locate();
        } catch (RuntimeBundleException e) {
            throw new IllegalStateException("no runtime bundle (set -D" + BUNDLE_PROPERTY + " or BANGER_RUNTIME_BUNDLE, or run "
                    + "`make runtime`): " + e.getMessage(), e);
        }
    }

    private static void require(boolean met, String otherwise) {
        if (!met) {
            throw new IllegalStateException(otherwise);
        }
    }

    @AfterAll
    static void removeWork() throws IOException {
        if (work != null) {
            HOST.run("rm", "-rf", "--", work.toString());
        }
    }

    @BeforeEach
    void createTestDir() throws IOException {
        testDir = Files.createTempDirectory(work, "t");
    }

    @AfterEach
    void killLeftoverQemu() throws Exception {
        for (ProcessHandle leftover : processesMentioning(testDir)) {
            leftover.destroyForcibly();
            leftover.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private MachineSpec spec(Path vmDir, Path kernelFile, String cad) throws IOException {
        Files.createDirectories(vmDir);
        Path disk = vmDir.resolve("root.ext4");
        Files.copy(rootImage, disk, StandardCopyOption.REPLACE_EXISTING);
        return new MachineSpec("it-vm", vmDir, 1, 256, kernelFile, initrd,
                "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw banger_test_cad=" + cad,
                List.of(new Drive("root", disk, DiskFormat.RAW, false)), null, 3, 10000);
    }

    @Test
    void aStartedGuestRunsDetachedBootsAnswersQmpAndStopsThroughCtrlAltDelete() throws Exception {
        // The comma proves QEMU's option escaping end to end: sockets, console and drive live under it.
        Path vmDir = testDir.resolve("vm,1");
        VmmInstance instance = vmm.start(spec(vmDir, kernel, "reboot"));

        assertThat(instance.backend()).isEqualTo("qemu");
        assertThat(instance.agentTransport()).isEqualTo(VmmInstance.AgentTransport.UNIX_STREAM);
        assertThat(instance.agentSocket()).isEqualTo(vmDir.resolve("agent.sock"));
        assertThat(Files.exists(instance.agentSocket())).isTrue();
        assertThat(sessionOf(instance.pid())).isNotEqualTo(sessionOf(ProcessHandle.current().pid()));
        assertThat(vmm.isAlive(instance)).isTrue();
        try (QmpClient qmp = QmpClient.connect(vmDir.resolve("qmp.sock"), Duration.ofSeconds(5))) {
            assertThat(qmp.queryStatus(Duration.ofSeconds(5))).isEqualTo("running");
        }
        String console = awaitConsole(vmDir.resolve("console.log"), MARKER);
        assertThat(console).contains("Linux version");

        long start = System.nanoTime();
        QemuVmm.StopOutcome outcome = vmm.stopReporting(instance, GRACE);

        assertThat(outcome).isEqualTo(QemuVmm.StopOutcome.GUEST_SHUTDOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE);
        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(ProcessHandle.of(instance.pid()).map(p -> isRunning(p, vmDir)).orElse(false)).isFalse();
        assertThat(Files.readString(vmDir.resolve("console.log"))).contains("reboot: Restarting system");
    }

    @Test
    void aPausedMachineMovedToAnotherDirectoryIsStillThatMachineGrowsADriveAndBootsWithItsConfigDrive() throws Exception {
        Path warmDir = testDir.resolve("warm-1");
        Files.createDirectories(warmDir);
        Path disk = Files.copy(rootImage, warmDir.resolve("root.ext4"));
        Path work = warmDir.resolve("work.qcow2");
        HOST.run("qemu-img", "create", "-q", "-f", "qcow2", work.toString(), "16M");
        Path config = Files.write(warmDir.resolve("config.img"), new byte[ConfigDrive.SIZE]);
        VmmInstance paused = vmm.startPaused(new MachineSpec("warm-1", warmDir, 1, 256, kernel, initrd,
                "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw banger_test_cad=reboot",
                List.of(new Drive("root", disk, DiskFormat.RAW, false), new Drive("work", work, DiskFormat.QCOW2, false),
                        new Drive("config", config, DiskFormat.RAW, true, ConfigDrive.SERIAL)), null, 3, 10000));

        Path vmDir = testDir.resolve("dev1");
        Files.move(warmDir, vmDir, StandardCopyOption.ATOMIC_MOVE);
        VmmInstance moved = vmm.moved(paused, vmDir);
        vmm.growDrive(moved, "work", 64L << 20);
        GuestConfig guest = GuestConfig.builder().hostname("dev1").address("172.30.0.9/24").iface("eth0").build();
        Files.write(vmDir.resolve("config.img"), ConfigDrive.content(guest, "02:aa:bb:cc:dd:ee"), StandardOpenOption.WRITE);
        vmm.resume(moved);

        assertThat(moved.pid()).isEqualTo(paused.pid());
        assertThat(moved.agentSocket()).isEqualTo(vmDir.resolve("agent.sock"));
        assertThat(vmm.isAlive(moved)).isTrue();
        // A daemon that did not start it (restarted since) knows it by the pid file it holds open.
        QemuVmm restarted = QemuVmm.forHost(HOST, QemuConfig.DEFAULTS, false);
        assertThat(restarted.isAlive(moved)).isTrue();
        assertThat(restarted.isAlive(new VmmInstance("qemu", moved.pid(), testDir.resolve("dev2"), testDir.resolve("dev2/agent.sock"),
                moved.agentTransport()))).isFalse();
        String console = awaitConsole(vmDir.resolve("console.log"), MARKER);
        assertThat(console).contains("DISK vdb 131072 ", "DISK vdc 8 banger-config", "hostname dev1",
                "ip link set dev eth0 address 02:aa:bb:cc:dd:ee", "ip address replace 172.30.0.9/24 dev eth0");
        assertThat(vmm.stopReporting(moved, GRACE)).isEqualTo(QemuVmm.StopOutcome.GUEST_SHUTDOWN);
        assertThat(vmm.isAlive(moved)).isFalse();
        assertThat(restarted.isAlive(moved)).isFalse();
    }

    @Test
    void theGuestAgentAnswersHealthOverTheVirtioSerialSocket() throws Exception {
        Path vmDir = testDir.resolve("vm");
        VmmInstance instance = vmm.start(spec(vmDir, kernel, "reboot"));
        awaitConsole(vmDir.resolve("console.log"), MARKER);

        HealthReport health = awaitHealth(HttpAgentClient.overUnixSocket(instance.agentSocket()));

        assertThat(health.legacy()).isFalse();
        assertThat(health.bootId()).isNotBlank();
        assertThat(vmm.stopReporting(instance, GRACE)).isEqualTo(QemuVmm.StopOutcome.GUEST_SHUTDOWN);
    }

    /**
     * Both ways a machine is saved: its memory in the stream (a machine started as any other), and
     * apart in the file it ran on ({@link QemuVmm#startSavable}), which restored copies map
     * copy-on-write and never change.
     */
    @ParameterizedTest(name = "memory apart: {0}")
    @ValueSource(booleans = {false, true})
    void aSavedMachineIsRestoredTwiceAndEachCopyRunsOnFromWhereItWasSavedOnItsOwnOverlays(boolean memoryApart) throws Exception {
        Path sourceDir = testDir.resolve("golden");
        Files.createDirectories(sourceDir);
        HOST.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", rootImage.toString(), "-F", "raw",
                sourceDir.resolve("root.qcow2").toString());
        HOST.run("qemu-img", "create", "-q", "-f", "qcow2", sourceDir.resolve("work.qcow2").toString(), "16M");
        MachineSpec sourceSpec = restorableSpec("golden", sourceDir);
        VmmInstance source = memoryApart ? vmm.startSavable(sourceSpec) : vmm.startPaused(sourceSpec);
        vmm.resume(source);
        awaitConsole(sourceDir.resolve("console.log"), MARKER);
        String bootId = awaitHealth(HttpAgentClient.overUnixSocket(source.agentSocket())).bootId();

        Path snapshotDir = Files.createDirectories(testDir.resolve("snapshot"));
        SnapshotFiles saved = vmm.saveSnapshot(source, snapshotDir);

        assertThat(vmm.savesSnapshots()).isTrue();
        assertThat(saved.state()).isEqualTo(snapshotDir.resolve("state")).isNotEmptyFile();
        assertThat(Files.getPosixFilePermissions(saved.state())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String memoryDigest = "";
        if (memoryApart) {
            Path memory = snapshotDir.resolve("memory");
            assertThat(saved.memory()).contains(memory);
            assertThat(Files.size(memory)).isEqualTo(sourceSpec.memoryMib() * 1024L * 1024L);
            assertThat(Files.getPosixFilePermissions(memory)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.size(saved.state())).as("the stream holds the devices alone").isLessThan(1L << 20);
            assertThat(sourceDir.resolve("memory")).doesNotExist();
            memoryDigest = sha256(memory);
        } else {
            assertThat(saved.memory()).isEmpty();
            assertThat(Files.size(saved.state())).as("the stream holds the memory").isGreaterThan(1L << 20);
        }
        assertThat(vmm.isAlive(source)).isFalse();
        assertThat(processesMentioning(sourceDir)).isEmpty();

        List<VmmInstance> restored = new ArrayList<>();
        for (String name : List.of("copy-1", "copy-2")) {
            Path vmDir = Files.createDirectories(testDir.resolve(name));
            for (String drive : List.of("root", "work")) {
                HOST.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", sourceDir.resolve(drive + ".qcow2").toString(),
                        "-F", "qcow2", vmDir.resolve(drive + ".qcow2").toString());
            }
            VmmInstance copy = vmm.restorePaused(restorableSpec(name, vmDir), saved);
            try (QmpClient qmp = QmpClient.connect(vmDir.resolve("qmp.sock"), Duration.ofSeconds(5))) {
                assertThat(qmp.queryStatus(Duration.ofSeconds(5))).isEqualTo("paused");
            }
            vmm.resume(copy);
            restored.add(copy);
        }
        for (VmmInstance copy : restored) {
            try (QmpClient qmp = QmpClient.connect(copy.vmDir().resolve("qmp.sock"), Duration.ofSeconds(5))) {
                assertThat(qmp.queryStatus(Duration.ofSeconds(5))).isEqualTo("running");
            }
            // The same boot, carried on: the agent in the restored memory answers with the source's boot id.
            assertThat(awaitHealth(HttpAgentClient.overUnixSocket(copy.agentSocket())).bootId()).isEqualTo(bootId);
            assertThat(Files.readString(copy.vmDir().resolve("console.log"))).doesNotContain("Linux version");
        }

        // A running restored machine is told its drive grew: its kernel logs the new size at once.
        VmmInstance first = restored.getFirst();
        vmm.growDrive(first, "work", 64L << 20);
        assertThat(awaitConsole(first.vmDir().resolve("console.log"), "[vdb] new size: 131072 512-byte logical blocks"))
                .isNotEmpty();

        for (VmmInstance copy : restored) {
            assertThat(vmm.stopReporting(copy, GRACE)).isEqualTo(QemuVmm.StopOutcome.GUEST_SHUTDOWN);
            assertThat(vmm.isAlive(copy)).isFalse();
        }
        assertThat(saved.state()).as("restoring reads the snapshot, it does not use it up").isNotEmptyFile();
        if (memoryApart) {
            assertThat(sha256(saved.memory().orElseThrow())).as("copies ran on the memory file without changing it")
                    .isEqualTo(memoryDigest);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void aDamagedSnapshotFailsTheRestoreAndLeavesNothingRunning() throws Exception {
        Path vmDir = Files.createDirectories(testDir.resolve("copy"));
        HOST.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", rootImage.toString(), "-F", "raw",
                vmDir.resolve("root.qcow2").toString());
        HOST.run("qemu-img", "create", "-q", "-f", "qcow2", vmDir.resolve("work.qcow2").toString(), "16M");
        // QEMU's stream magic, then garbage: the load starts and fails.
        Path state = Files.write(testDir.resolve("state"), "QEVM\0\0\0\3not a machine".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> vmm.restorePaused(restorableSpec("copy", vmDir), new SnapshotFiles(state, Optional.empty())))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("the snapshot " + state)
                .hasMessageContaining("does not match the machine");
        assertThat(processesMentioning(vmDir)).isEmpty();
    }

    /** A machine on a qcow2 root and work drive in {@code vmDir}, as a restored copy has them. */
    private static MachineSpec restorableSpec(String name, Path vmDir) {
        return new MachineSpec(name, vmDir, 1, 256, kernel, initrd,
                "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw banger_test_cad=reboot",
                List.of(new Drive("root", vmDir.resolve("root.qcow2"), DiskFormat.QCOW2, false),
                        new Drive("work", vmDir.resolve("work.qcow2"), DiskFormat.QCOW2, false)), null, 3, 10000);
    }

    /** Asks until the agent answers: it starts in the background of the guest's init, bounded by {@link #BOOT_LIMIT}. */
    private static HealthReport awaitHealth(HttpAgentClient client) {
        long end = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (true) {
            try {
                return client.health(Duration.ofSeconds(5));
            } catch (AgentException e) {
                if (System.nanoTime() - end >= 0) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aGuestThatIgnoresCtrlAltDeleteIsEndedByQmpQuitAfterTheGrace() throws Exception {
        Path vmDir = testDir.resolve("vm");
        VmmInstance instance = vmm.start(spec(vmDir, kernel, "ignore"));
        awaitConsole(vmDir.resolve("console.log"), MARKER);

        QemuVmm.StopOutcome outcome = vmm.stopReporting(instance, Duration.ofSeconds(3));

        assertThat(outcome).isEqualTo(QemuVmm.StopOutcome.QUIT);
        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(processesMentioning(vmDir)).isEmpty();
    }

    @Test
    void aMissingKernelFailsStartNamingItAndLeavesNothingRunning() throws Exception {
        Path vmDir = testDir.resolve("vm");
        Path missing = testDir.resolve("no-such-vmlinux");

        assertThatThrownBy(() -> vmm.start(spec(vmDir, missing, "reboot")))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("QEMU could not start VM it-vm")
                .hasMessageContaining("could not open kernel file")
                .hasMessageContaining(missing.toString());
        assertThat(processesMentioning(vmDir)).isEmpty();
        assertThat(vmDir.resolve("qemu.pid")).doesNotExist();
    }

    @Test
    void aQemuKilledWithSigkillIsNoLongerAliveAndStoppingItIsHarmless() throws Exception {
        Path vmDir = testDir.resolve("vm");
        VmmInstance instance = vmm.start(spec(vmDir, kernel, "reboot"));
        ProcessHandle qemu = ProcessHandle.of(instance.pid()).orElseThrow();

        HOST.run("kill", "-9", Long.toString(instance.pid()));
        qemu.onExit().get(30, TimeUnit.SECONDS);

        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(vmm.stopReporting(instance, GRACE)).isEqualTo(QemuVmm.StopOutcome.ALREADY_GONE);
    }

    /** Waits for {@code marker} in the console log, woken by file changes, bounded by {@link #BOOT_LIMIT}. */
    private static String awaitConsole(Path log, String marker) throws IOException, InterruptedException {
        long end = System.nanoTime() + BOOT_LIMIT.toNanos();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            log.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            while (true) {
                String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                if (text.contains(marker)) {
                    return text;
                }
                long left = end - System.nanoTime();
                assertThat(left).as("console %s shows %s within %s; it ends with:%n%s", log, marker, BOOT_LIMIT,
                        QemuVmm.tail(log).orElse("(nothing)")).isPositive();
                var key = watch.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    private static String sessionOf(long pid) {
        return HOST.run("ps", "-o", "sid=", "-p", Long.toString(pid)).stdout().strip();
    }

    /** Live processes whose command line mentions {@code dir}: the QEMUs this test started there. */
    private static List<ProcessHandle> processesMentioning(Path dir) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> isRunning(p, dir)).forEach(found::add);
        return found;
    }

    private static boolean isRunning(ProcessHandle process, Path dir) {
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
            return process.isAlive() && cmdline.contains(dir.toString());
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

}
