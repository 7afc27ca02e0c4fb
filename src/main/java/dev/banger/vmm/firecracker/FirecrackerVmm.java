package dev.banger.vmm.firecracker;

import dev.banger.config.FirecrackerConfig;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/**
 * The Firecracker backend: spawns {@code firecracker --api-sock <vmDir>/firecracker.sock} in its
 * own session (so it outlives the daemon), waits for the API socket under a deadline while
 * watching for an early exit, then applies the {@link FirecrackerPlan} through
 * {@link FirecrackerApiClient}. Any failure kills the spawned process and reports the end of its
 * logs. Stops with Ctrl-Alt-Del, then SIGKILL after the grace period. Holds no per-machine state:
 * everything is found again from a {@link VmmInstance}. Thread-safe; close it to stop the HTTP client.
 */
public final class FirecrackerVmm implements Vmm, AutoCloseable {
    public static final String NAME = "firecracker";

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FirecrackerVmm.class);
    /** How often the socket wait looks again; the wait itself returns at once when the process exits. */
    private static final Duration SOCKET_POLL = Duration.ofMillis(5);
    /** How long a SIGKILLed process may take to disappear. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final Settings settings;
    private final FirecrackerApiClient api;

    /**
     * Timing and the program to run.
     *
     * @param binary        the firecracker executable
     * @param socketTimeout how long the spawned process may take to open its API socket
     * @param apiTimeout    the bound on each API call
     */
    public record Settings(Path binary, Duration socketTimeout, Duration apiTimeout) {
        public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(10);

        public Settings {
            Objects.requireNonNull(binary, "binary");
            requirePositive(socketTimeout, "socketTimeout");
            requirePositive(apiTimeout, "apiTimeout");
        }

        /** Default timeouts; the binary from the config, else the runtime bundle's. */
        public static Settings of(FirecrackerConfig config, Path bundleFirecracker) {
            return new Settings(config.binary().orElse(bundleFirecracker), DEFAULT_SOCKET_TIMEOUT, DEFAULT_API_TIMEOUT);
        }

        private static void requirePositive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
        }
    }

    public FirecrackerVmm(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.api = new FirecrackerApiClient(settings.apiTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VmmInstance start(MachineSpec spec) {
        List<ApiCall> plan = FirecrackerPlan.configure(spec);
        FirecrackerLayout layout = new FirecrackerLayout(spec.vmDir());
        Path setsid = ProcessHostCommands.resolve("setsid").orElseThrow(() -> new VmmException(
                ErrorKind.PRECONDITION_FAILED, "setsid (util-linux) is not installed; it detaches Firecracker from the daemon"));
        if (!Files.isRegularFile(settings.binary()) || !Files.isExecutable(settings.binary())) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, "Firecracker binary " + settings.binary()
                    + " is missing or not executable; run 'banger runtime bootstrap' or set [firecracker] binary");
        }
        List<String> argv;
        try {
            argv = FirecrackerCommandLine.direct(setsid, settings.binary(), spec.name(), layout);
        } catch (IllegalArgumentException e) {
            throw new VmmException(ErrorKind.INVALID_ARGUMENT, "VM " + spec.name() + ": " + e.getMessage());
        }
        prepare(spec, layout);
        Process process = DetachedProcess.start(argv, layout.consoleLog());
        String who = "firecracker for VM " + spec.name() + " (pid " + process.pid() + ")";
        try {
            awaitApiSocket(process, layout, who, argv);
            for (ApiCall call : plan) {
                api.send(layout.apiSocket(), call);
            }
        } catch (RuntimeException e) {
            // Whatever went wrong, nothing may be left running.
            String why = e instanceof VmmException ? e.getMessage() : e.toString();
            String leftover = kill(process.toHandle()) ? ""
                    : "\n(the process still runs " + KILL_WAIT.toMillis() + " ms after SIGKILL)";
            throw new VmmException(who + ": " + why + leftover + LogTail.of(layout.logs()), e);
        }
        LOG.info("{} started", who);
        return new VmmInstance(NAME, process.pid(), layout.vmDir(), layout.vsockSocket(),
                VmmInstance.AgentTransport.HYBRID_VSOCK);
    }

    @Override
    public void stop(VmmInstance instance, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        FirecrackerLayout layout = new FirecrackerLayout(instance.vmDir());
        Optional<ProcessHandle> process = ours(instance);
        if (process.isEmpty()) {
            LOG.debug("firecracker pid {} for {} is already gone", instance.pid(), instance.vmDir());
            return;
        }
        try {
            api.send(layout.apiSocket(), FirecrackerPlan.ctrlAltDel());
        } catch (VmmException e) {
            // The API may be gone with the guest half shut down: the kill below still ends it.
            LOG.warn("firecracker pid {}: Ctrl-Alt-Del failed, killing it: {}", instance.pid(), e.getMessage());
        }
        if (awaitExit(process.get(), grace)) {
            return;
        }
        LOG.warn("firecracker pid {} did not exit within {} ms of Ctrl-Alt-Del; killing it", instance.pid(), grace.toMillis());
        if (!kill(process.get())) {
            throw new VmmException("firecracker pid " + instance.pid() + " for " + instance.vmDir()
                    + " still runs " + KILL_WAIT.toMillis() + " ms after SIGKILL" + LogTail.of(layout.logs()));
        }
    }

    @Override
    public Path consoleLog(Path vmDir) {
        return new FirecrackerLayout(vmDir).consoleLog();
    }

    @Override
    public boolean isAlive(VmmInstance instance) {
        return ours(instance).isPresent();
    }

    @Override
    public void close() {
        api.close();
    }

    /** The live process behind {@code instance}, only if it is still that machine's Firecracker. */
    private static Optional<ProcessHandle> ours(VmmInstance instance) {
        FirecrackerLayout layout = new FirecrackerLayout(instance.vmDir());
        return ProcessHandle.of(instance.pid())
                .filter(ProcessHandle::isAlive)
                .filter(handle -> FirecrackerCommandLine.isFirecrackerFor(DetachedProcess.cmdline(handle.pid()), layout));
    }

    private static void prepare(MachineSpec spec, FirecrackerLayout layout) {
        if (!Files.isDirectory(layout.vmDir())) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED,
                    "VM " + spec.name() + ": VM directory " + layout.vmDir() + " does not exist");
        }
        try {
            // Firecracker refuses to bind a socket path that exists; these are left by a previous run.
            Files.deleteIfExists(layout.apiSocket());
            Files.deleteIfExists(layout.vsockSocket());
            // Firecracker opens its log and metrics files but does not create them, and need not
            // append: each run starts them empty so one run's lines never overwrite another's.
            for (Path file : List.of(layout.vmmLog(), layout.metrics())) {
                Files.write(file, new byte[0]);
            }
        } catch (IOException e) {
            throw new VmmException("VM " + spec.name() + ": could not prepare " + layout.vmDir() + ": " + e, e);
        }
    }

    /** Waits until the API socket accepts connections; fails at once when the process exits. */
    private void awaitApiSocket(Process process, FirecrackerLayout layout, String who, List<String> argv) {
        long end = System.nanoTime() + settings.socketTimeout().toNanos();
        while (true) {
            if (accepts(layout.apiSocket())) {
                return;
            }
            if (!process.isAlive()) {
                throw new VmmException("exited with code " + process.exitValue()
                        + " before opening its API socket " + layout.apiSocket() + "; command: " + Command.of(argv).display());
            }
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                throw new VmmException("did not open its API socket " + layout.apiSocket() + " within "
                        + settings.socketTimeout().toMillis() + " ms");
            }
            try {
                // Doubles as the pause between looks: returns early when the process exits.
                process.waitFor(Math.min(remaining, SOCKET_POLL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmmException("interrupted while waiting for the API socket " + layout.apiSocket());
            }
        }
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return channel.isConnected();
        } catch (IOException e) {
            // Bound but not yet listening, or a leftover: look again.
            return false;
        }
    }

    /** SIGKILL, then a bounded wait; true when the process is gone. */
    private static boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return awaitExit(process, KILL_WAIT);
    }

    private static boolean awaitExit(ProcessHandle process, Duration wait) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
