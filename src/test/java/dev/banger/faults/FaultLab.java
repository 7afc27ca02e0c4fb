package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.banger.daemon.BangerSandbox;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.OpenFiles;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.model.VmInfo;
import dev.banger.model.VmList;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import dev.banger.vm.FaultPoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real bangerd for the fault suite: its own sandbox (state, runtime, cache dirs, config), run
 * inside a network namespace this lab creates (bridge, TAPs and NAT rules never touch the host's
 * network), with the cached Debian minimal image that {@code scripts/verify.sh} builds registered.
 * Offers the faults' moves (start with fault points armed, kill -9, SIGTERM) and the leftover check.
 * {@link #close} kills what is left of the daemon and its VMMs, unmounts what tests mounted and
 * deletes the namespace, also after a failure.
 */
final class FaultLab implements AutoCloseable {
    static final String IMAGE = "faults";
    static final String BRIDGE = "bfault0";
    static final Duration DAEMON_START = Duration.ofSeconds(90);
    static final Duration RPC = Duration.ofSeconds(30);

    final Path root;
    final String ns = "banger-test-" + UUID.randomUUID().toString().substring(0, 8);
    final BangerSandbox sandbox;
    final ProcessHostCommands host = new ProcessHostCommands();
    private final List<Path> mounts = new ArrayList<>();
    /** Extra environment of every daemon this lab starts (e.g. the soak's guest-wait switch). */
    private final Map<String, String> daemonEnv = new HashMap<>();
    private ProcessHandle daemon;

    /** A lab with its daemon running and the cached image registered (the test is skipped without that image). */
    static FaultLab withCachedImage(Path root, int tapPoolSize) throws Exception {
        return withCachedImage(root, tapPoolSize, Map.of());
    }

    /** The same, its daemons started with {@code daemonEnv} added to their environment. */
    static FaultLab withCachedImage(Path root, int tapPoolSize, Map<String, String> daemonEnv) throws Exception {
        Path image = cachedImage();
        FaultLab lab = new FaultLab(root, tapPoolSize);
        lab.daemonEnv.putAll(daemonEnv);
        try {
            lab.startDaemon();
            lab.registerImage(image);
            return lab;
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    FaultLab(Path root, int tapPoolSize) throws IOException {
        this.root = root;
        this.sandbox = new BangerSandbox(root);
        sandbox.writeConfig("""
                vmm = "qemu"
                [network]
                bridge = "%s"
                subnet = "172.31.214.0/24"
                tap_pool_size = %d
                [daemon]
                group = "root"
                [vm]
                # The faults are held at the stages of a boot; a restore would skip them (scripts/verify.sh proves restores).
                golden_snapshots = false
                """.formatted(BRIDGE, tapPoolSize));
        host.run("ip", "netns", "add", ns);
        host.run("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /**
     * The newest image {@code scripts/verify.sh} cached ({@code make test-faults} makes it first);
     * without it, or without QEMU, the suite cannot run and fails saying so.
     */
    static Path cachedImage() {
        Path cache = Path.of(System.getenv().getOrDefault("BANGER_CACHE_DIR", "/var/cache/banger"), "verify-images");
        Optional<Path> newest = Optional.empty();
        if (Files.isDirectory(cache)) {
            try (Stream<Path> dirs = Files.list(cache)) {
                newest = dirs.filter(d -> d.getFileName().toString().startsWith("debian-minimal-"))
                        .filter(d -> Stream.of("vmlinux", "initrd.img", "rootfs.ext4", "work-seed.ext4")
                                .allMatch(f -> Files.isRegularFile(d.resolve(f))))
                        .max(Comparator.comparing(FaultLab::modified));
            } catch (IOException e) {
                newest = Optional.empty();
            }
        }
        if (!Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) {
            throw new IllegalStateException("qemu-system-x86_64 is not installed; run the suite with 'make test-faults',"
                    + " which installs it");
        }
        return newest.orElseThrow(() -> new IllegalStateException("no cached Debian minimal image under " + cache
                + "; run the suite with 'make test-faults', which builds it (scripts/verify.sh --image-only)"));
    }

    private static long modified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Starts bangerd in the namespace with {@code faultPoints} armed (none when empty) and waits for its socket. */
    void startDaemon(String... faultPoints) throws IOException {
        assertThat(daemon == null || !daemon.isAlive()).as("a daemon still runs").isTrue();
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", ns, root.resolve("bin/bangerd").toString());
        builder.environment().putAll(sandbox.env());
        builder.environment().remove(FaultPoints.ENV);
        builder.environment().remove(FaultPoints.SKIP_GUEST_WAIT_ENV);
        builder.environment().putAll(daemonEnv);
        if (faultPoints.length > 0) {
            builder.environment().put(FaultPoints.ENV, String.join(",", faultPoints));
        }
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.daemonLog().toFile()));
        Process launched = builder.start();
        long deadline = System.nanoTime() + DAEMON_START.toNanos();
        while (!answers()) {
            if (System.nanoTime() > deadline) {
                fail("bangerd did not open its socket within " + DAEMON_START + "; log:\n" + logTail());
            }
            // Waits on the daemon's exit for a moment: returns early, and fails, if it died.
            if (launched.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join() != null) {
                fail("bangerd exited with " + launched.exitValue() + " before opening its socket; log:\n" + logTail());
            }
        }
        // `ip netns exec` may or may not fork: the lock file names the JVM itself.
        daemon = sandbox.lockedPid().flatMap(ProcessHandle::of).orElseThrow(() -> new AssertionError("no daemon pid in the lock file"));
    }

    private boolean answers() {
        try (RpcClient _ = RpcClient.connect(sandbox.paths().socket())) {
            return true;
        } catch (DaemonUnavailableException notYet) {
            return false;
        }
    }

    ProcessHandle daemon() {
        return daemon;
    }

    /** SIGKILL: nothing of the daemon runs its shutdown. */
    void killDaemon() {
        daemon.destroyForcibly();
        awaitExit(daemon, Duration.ofSeconds(30));
    }

    /** SIGTERM, then waits (bounded) for the graceful shutdown to end. */
    void terminateDaemon(Duration within) {
        daemon.destroy();
        awaitExit(daemon, within);
    }

    private static void awaitExit(ProcessHandle process, Duration within) {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            fail("pid " + process.pid() + " did not exit within " + within + ": " + e);
        }
    }

    RpcClient client() {
        return RpcClient.connect(sandbox.paths().socket());
    }

    <R> R call(String method, Object params, Class<R> type) {
        try (RpcClient client = client()) {
            return client.call(method, params, type, RPC);
        }
    }

    /** Registers the cached image as {@value #IMAGE} and makes it the default. */
    void registerImage(Path cached) {
        CommandResult result = sandbox.cli("image", "register", "--name", IMAGE, "--kernel", cached.resolve("vmlinux").toString(),
                "--initrd", cached.resolve("initrd.img").toString(), "--rootfs", cached.resolve("rootfs.ext4").toString(),
                "--work-seed", cached.resolve("work-seed.ext4").toString());
        assertThat(result.exitCode()).as("image register: %s%s", result.stdout(), result.stderr()).isZero();
    }

    /** Parameters of a small VM (1 vCPU, {@code memoryMib}, 2 GiB) from the lab's image. */
    static Map<String, Object> smallVm(String name, int memoryMib) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        params.put("image", IMAGE);
        params.put("vcpus", 1);
        params.put("memoryMib", memoryMib);
        params.put("diskGib", 2);
        return params;
    }

    Operation beginCreate(String name) {
        return call("vm.create.begin", smallVm(name, 512), Operation.class);
    }

    /** Waits until every one of {@code stages} of a running create has succeeded (stages that run side by side end in any order). */
    void awaitStagesDone(String operationId, java.util.Set<String> stages, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try (RpcClient client = client()) {
            while (true) {
                Operation op = client.call("vm.create.status", Map.of("operationId", operationId), Operation.class, RPC);
                if (op.stages().stream().filter(s -> stages.contains(s.name()))
                        .allMatch(s -> s.state() == dev.banger.model.StageState.SUCCEEDED)) {
                    return;
                }
                if (op.state() != OperationState.RUNNING || System.nanoTime() > deadline) {
                    fail("stages " + stages + " of " + op.target() + " did not all succeed within " + within + ": " + op.stages());
                }
                pause();
            }
        }
    }

    /** Polls a create operation until it ends, at most {@code within}. */
    Operation awaitCreate(String operationId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try (RpcClient client = client()) {
            while (true) {
                Operation op = client.call("vm.create.status", Map.of("operationId", operationId), Operation.class, RPC);
                if (op.state() != OperationState.RUNNING) {
                    return op;
                }
                if (System.nanoTime() > deadline) {
                    fail("create " + op.target() + " still running after " + within + ": " + op.stages());
                }
                pause();
            }
        }
    }

    /** Creates a VM and waits until it runs (a full TCG boot). */
    VmInfo create(String name, Duration within) {
        Operation done = awaitCreate(beginCreate(name).id(), within);
        assertThat(done.state()).as("create %s: %s %s", name, done.error(), done.stages()).isEqualTo(OperationState.SUCCEEDED);
        return call("vm.show", Map.of("name", name), VmInfo.class);
    }

    /** Waits for the marker of an armed fault point; fails early if the daemon died. */
    void awaitHeld(String kind, String detail, Duration within) {
        Path marker = FaultPoints.marker(sandbox.paths().runtimeDir(), kind, detail);
        long deadline = System.nanoTime() + within.toNanos();
        while (!Files.exists(marker)) {
            assertThat(daemon.isAlive()).as("daemon alive while waiting for fault point %s:%s", kind, detail).isTrue();
            if (System.nanoTime() > deadline) {
                fail("fault point " + kind + ":" + detail + " not reached within " + within + "; log:\n" + logTail());
            }
            pause();
        }
    }

    /** A bounded pause between polls that returns early (and fails the poll's next check) when the daemon dies. */
    void pause() {
        try {
            daemon.onExit().get(50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
            // the usual case
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<VmInfo> vms() {
        return call("vm.list", null, VmList.class).vms();
    }

    Optional<VmInfo> vm(String name) {
        return vms().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    Path vmDir(String name) {
        return sandbox.paths().stateDir().resolve("vms").resolve(name);
    }

    /**
     * What banger left on the host that it should not have, were no VM named {@code gone} to
     * exist and {@code vmsExist} say whether other VMs still do: TAPs but the warm pool's, NAT
     * rules while no VM exists, loop or mapper devices of this lab, the VM's directory, processes
     * with its directory on their command line. Empty when clean.
     */
    List<String> leftovers(String gone, boolean vmsExist) {
        List<String> found = hostLeftovers(vmsExist);
        if (Files.exists(vmDir(gone))) {
            found.add("VM dir " + vmDir(gone));
        }
        processesMentioning(vmDir(gone).toString()).forEach(p -> found.add("process " + p));
        return found;
    }

    /**
     * What no VM should leave once every VM is gone: {@link #hostLeftovers} with no VM, any
     * directory under {@code vms/}, any process holding a path under it, any mount of the lab's
     * directory (seen from the host and from the daemon's mount namespace, which {@code ip netns
     * exec} gives it) but the ones a test made with {@link #mountTmpfs}.
     */
    List<String> leftoversOfAllVms() {
        List<String> found = hostLeftovers(false);
        Path vmsDir = sandbox.paths().stateDir().resolve("vms");
        if (Files.isDirectory(vmsDir)) {
            try (Stream<Path> dirs = Files.list(vmsDir)) {
                dirs.forEach(d -> found.add("VM dir " + d));
            } catch (IOException e) {
                found.add("cannot list " + vmsDir + ": " + e);
            }
        }
        processesMentioning(vmsDir + "/").forEach(p -> found.add("process " + p));
        List<String> mountInfos = new ArrayList<>(List.of("/proc/self/mountinfo"));
        if (daemon != null && daemon.isAlive()) {
            mountInfos.add("/proc/" + daemon.pid() + "/mountinfo");
        }
        for (String mountInfo : mountInfos) {
            try {
                Files.readAllLines(Path.of(mountInfo)).stream().filter(l -> l.contains(root.toString()))
                        .filter(l -> mounts.stream().noneMatch(m -> l.contains(" " + m + " ")))
                        .forEach(l -> found.add("mount (" + mountInfo + ") " + l));
            } catch (IOException e) {
                found.add("cannot read " + mountInfo + ": " + e);
            }
        }
        return found;
    }

    /**
     * Leftovers that belong to no one VM: TAPs but the warm pool's, NAT rules while no VM exists
     * ({@code vmsExist} false), loop devices backing a file of this lab, device-mapper devices of banger.
     */
    List<String> hostLeftovers(boolean vmsExist) {
        List<String> found = new ArrayList<>();
        for (String tap : taps()) {
            if (!tap.startsWith("tap-pool-")) {
                found.add("TAP " + tap);
            }
        }
        if (!vmsExist) {
            String nft = inNs("nft", "list", "tables").stdout();
            if (nft.contains("banger")) {
                found.add("nftables: " + nft.strip());
            }
            CommandResult ipt = inNs("iptables", "-t", "nat", "-S");
            if (ipt.stdout().contains("banger:")) {
                found.add("iptables: " + ipt.stdout().strip());
            }
        }
        String loops = host.exec(Command.of("losetup", "-a")).stdout();
        Arrays.stream(loops.split("\n")).filter(l -> l.contains(root.toString())).forEach(l -> found.add("loop " + l));
        if (Files.exists(Path.of("/dev/mapper/control"))) {
            String dm = host.exec(Command.of("dmsetup", "ls")).stdout();
            Arrays.stream(dm.split("\n")).filter(l -> l.contains("banger")).forEach(l -> found.add("mapper " + l));
        }
        return found;
    }

    /** TAP devices in the lab's namespace. */
    List<String> taps() {
        String out = inNs("ip", "-o", "link", "show", "type", "tun").stdout();
        List<String> taps = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] parts = line.split(": ");
            if (parts.length > 1) {
                taps.add(parts[1].split("@")[0].strip());
            }
        }
        return taps;
    }

    CommandResult inNs(String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(argv));
        return host.exec(Command.of(full));
    }

    /** Pids and command lines of processes whose command line contains {@code text}, or that hold a file under it open. */
    static List<String> processesMentioning(String text) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Long.parseLong(proc.getFileName().toString()) == ProcessHandle.current().pid()) {
                        continue;
                    }
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    // A VM made from a warm machine runs a QEMU whose command line names the warm directory it
                    // started in; it holds the files of the VM's directory open.
                    if (cmdline.contains(text) || OpenFiles.anyMatch(proc, file -> file.toString().startsWith(text))) {
                        found.add(proc.getFileName() + " " + cmdline.strip());
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The VMM process of a VM, by its directory on the command line (QEMU's pid file lives there). */
    Optional<ProcessHandle> vmm(String name) {
        return processesMentioning(vmDir(name) + "/").stream().filter(p -> p.contains("qemu-system"))
                .map(p -> Long.parseLong(p.substring(0, p.indexOf(' '))))
                .flatMap(pid -> ProcessHandle.of(pid).stream()).findFirst();
    }

    /** Mounts a tmpfs of {@code bytes} at {@code dir} (created); unmounted by {@link #close}. */
    void mountTmpfs(Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        host.run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString());
        mounts.add(dir);
    }

    void unmount(Path dir) {
        if (mounts.remove(dir)) {
            host.run("umount", dir.toString());
        }
    }

    String log() {
        try {
            return Files.readString(sandbox.daemonLog());
        } catch (IOException e) {
            return "(no daemon log: " + e + ")";
        }
    }

    String logTail() {
        String log = log();
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    /** Environment for host commands a test runs as the daemon would see them. */
    Map<String, String> env() {
        return new HashMap<>(sandbox.env());
    }

    @Override
    public void close() {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            try {
                daemon.onExit().get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                daemon.destroyForcibly();
            }
        }
        // VMMs this lab's daemons started: everything mentioning the lab's directory.
        for (String process : processesMentioning(root.toString())) {
            ProcessHandle.of(Long.parseLong(process.substring(0, process.indexOf(' ')))).ifPresent(p -> {
                p.destroyForcibly();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // reported by the leftover checks of the next run
                }
            });
        }
        for (Path mount : List.copyOf(mounts)) {
            host.exec(Command.of("umount", "-l", mount.toString()));
        }
        mounts.clear();
        host.exec(Command.of("ip", "netns", "del", ns));
    }
}
