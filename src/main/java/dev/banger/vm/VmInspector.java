package dev.banger.vm;

import dev.banger.host.DiskUsage;
import dev.banger.host.HostCommands;
import dev.banger.host.ProcStat;
import dev.banger.model.HealthReport;
import dev.banger.model.SshTarget;
import dev.banger.model.Vm;
import dev.banger.model.VmLogChunk;
import dev.banger.model.VmState;
import dev.banger.model.VmStats;
import dev.banger.vm.boot.BootSequence;
import dev.banger.vm.host.Backends;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Read-only views of a VM: resource use, the agent's health, the console log, and what the CLI
 * needs to SSH in with pinned host keys. Thread-safe.
 */
public final class VmInspector {
    static final int MAX_LOG_CHUNK = 256 * 1024;

    private final VmLifecycle vms;
    private final Backends backends;
    private final HostCommands commands;
    private final BootSequence boot;
    private final Supplier<String> privateKey;
    private final SharedProbes<HealthReport> health = new SharedProbes<>();

    /** @param privateKey the runtime bundle's SSH private key text, read when asked */
    VmInspector(VmLifecycle vms, Backends backends, HostCommands commands, BootSequence boot, Supplier<String> privateKey) {
        this.vms = vms;
        this.backends = backends;
        this.commands = commands;
        this.boot = boot;
        this.privateKey = privateKey;
    }

    public HealthReport health(String name) {
        Vm vm = vms.get(name);
        VmmInstance instance = running(vm);
        return health.get(name, () -> boot.waiter(backends.vmm(vm.vmm())).agent(instance).health(Duration.ofSeconds(5)));
    }

    public VmStats stats(String name) {
        Vm vm = vms.get(name);
        VmRuntime runtime = vms.runtime(vm);
        long used = diskUsed(runtime);
        VmmInstance instance = runtime.instance();
        if (vm.state() != VmState.RUNNING || instance == null || !backends.vmm(vm.vmm()).isAlive(instance)) {
            return new VmStats(name, vm.state(), null, null, null, vm.memoryMib(), vm.diskBytes(), used, null);
        }
        try {
            ProcStat.Times times = ProcStat.times(Files.readString(Path.of("/proc", Long.toString(instance.pid()), "stat")));
            double hostUptime = ProcStat.uptimeSeconds(Files.readString(Path.of("/proc/uptime")));
            double running = Math.max(0.001, hostUptime - times.startTicks() / (double) ProcStat.CLOCK_TICKS);
            Long rss = ProcStat.rssBytes(Files.readString(Path.of("/proc", Long.toString(instance.pid()), "status")))
                    .stream().boxed().findFirst().orElse(null);
            return new VmStats(name, vm.state(), times.cpuSeconds(), 100 * times.cpuSeconds() / running, rss, vm.memoryMib(),
                    vm.diskBytes(), used, (long) running);
        } catch (IOException | RuntimeException e) {
            return new VmStats(name, vm.state(), null, null, null, vm.memoryMib(), vm.diskBytes(), used, null);
        }
    }

    /** Host bytes the VM's disk files occupy (allocated blocks, so sparse files count what they hold). */
    private long diskUsed(VmRuntime runtime) {
        List<Path> files = new ArrayList<>();
        if (runtime.rootDisk() != null && Files.isRegularFile(runtime.rootDisk().file())) {
            files.add(runtime.rootDisk().file());
        }
        if (runtime.workDisk() != null && Files.isRegularFile(runtime.workDisk())) {
            files.add(runtime.workDisk());
        }
        return DiskUsage.allocatedBytes(commands, files);
    }

    /** Up to {@link #MAX_LOG_CHUNK} bytes of the console log from {@code offset}. */
    public VmLogChunk logs(String name, long offset) {
        Vm vm = vms.get(name);
        if (offset < 0) {
            throw VmException.invalid("offset must not be negative, got " + offset);
        }
        Path log = backends.vmm(vm.vmm()).consoleLog(vms.runtime(vm).vmDir());
        boolean running = vm.state() == VmState.RUNNING;
        if (!Files.isRegularFile(log)) {
            return new VmLogChunk("", 0, running);
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.min(offset, file.length());
            int length = (int) Math.min(MAX_LOG_CHUNK, file.length() - from);
            byte[] bytes = new byte[length];
            file.seek(from);
            file.readFully(bytes);
            return new VmLogChunk(new String(bytes, StandardCharsets.UTF_8), from + length, running);
        } catch (IOException e) {
            throw VmException.failed("cannot read the console log " + log + ": " + e.getMessage());
        }
    }

    /** The running VM's VMM instance, or a precondition error saying how to start it. */
    private VmmInstance running(Vm vm) {
        VmmInstance instance = vms.runtime(vm).instance();
        if (vm.state() != VmState.RUNNING || instance == null) {
            throw VmException.precondition("VM '" + vm.name() + "' is " + vm.state().wireName() + "; start it with 'banger vm start "
                    + vm.name() + "'");
        }
        return instance;
    }

    /** Address, key and the host keys pinned at the VM's last boot. */
    public SshTarget ssh(String name) {
        Vm vm = vms.get(name);
        running(vm);
        VmRuntime runtime = vms.runtime(vm);
        if (runtime.hostKeys().isEmpty()) {
            throw VmException.precondition("VM '" + name + "' reported no SSH host keys, so none can be pinned;"
                    + " check 'banger vm health " + name + "' and restart it");
        }
        List<String> knownHosts = runtime.hostKeys().stream()
                .map(line -> line.strip().split("\\s+"))
                .filter(parts -> parts.length >= 2)
                .map(parts -> vm.network().ip() + " " + parts[0] + " " + parts[1])
                .toList();
        return new SshTarget(name, vm.network().ip(), 22, "root", privateKey.get(), knownHosts);
    }
}
