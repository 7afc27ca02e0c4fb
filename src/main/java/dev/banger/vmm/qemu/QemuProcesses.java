package dev.banger.vmm.qemu;

import dev.banger.host.OpenFiles;
import dev.banger.host.ProcStat;
import dev.banger.model.Deadline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which process is the QEMU of a VM directory, and waiting for it to end: a process counts as that
 * machine's only while its {@code /proc/PID/cmdline} names the QEMU binary and the directory's pid
 * file (or, moved from the warm pool, it holds that pid file open), so a reused pid is never
 * mistaken for it or killed. Once proven, a process is known by its start time
 * ({@link KnownMachines}). Thread-safe.
 */
final class QemuProcesses {
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Logger LOG = LoggerFactory.getLogger(QemuProcesses.class);

    private final String binary;
    private final KnownMachines known = new KnownMachines();

    QemuProcesses(String binary) {
        this.binary = binary;
    }

    /**
     * Alive, not a zombie, and its command line names our binary and this VM directory — or, for a
     * warm machine moved here, which names the directory it started in, it holds this directory's pid
     * file open (QEMU keeps it open, locked, while it runs). Once proven, known by its start time.
     */
    boolean isOurs(long pid, Path vmDir) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Path dir = vmDir.toAbsolutePath().normalize();
        OptionalLong started = startTicks(pid);
        if (started.isEmpty()) {
            known.forget(pid);
            return false;
        }
        if (known.isKnown(pid, started.getAsLong(), dir)) {
            return true;
        }
        try {
            byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
            boolean ours = cmdlineMatches(cmdline, binary, dir)
                    || (runs(cmdline, binary) && OpenFiles.anyMatch(proc, new QemuFiles(dir).pidFile()::equals));
            if (ours) {
                known.remember(pid, started.getAsLong(), dir);
            }
            return ours;
        } catch (IOException | RuntimeException e) {
            return false; // exited while we looked
        }
    }

    /** The known machine {@code pid} now runs from {@code to}; false when it was not known in {@code from}. */
    boolean moved(long pid, Path from, Path to) {
        OptionalLong started = startTicks(pid);
        return started.isPresent() && known.moved(pid, started.getAsLong(), from.toAbsolutePath().normalize(),
                to.toAbsolutePath().normalize());
    }

    /** Polls until the process is gone or {@code limit} passes; true when it is gone. */
    boolean awaitExit(long pid, Path vmDir, Duration limit) {
        try {
            return Deadline.after(limit).await(() -> !isOurs(pid, vmDir), POLL);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** SIGKILL, if the process is still this machine, then waits up to {@link #KILL_WAIT}; true when it is gone. */
    boolean kill(long pid, Path vmDir) {
        if (isOurs(pid, vmDir)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        return awaitExit(pid, vmDir, KILL_WAIT);
    }

    /** {@link #kill} after a failed start or restore: a survivor is logged, the caller's error says the rest. */
    void killLeftover(long pid, Path vmDir) {
        if (!kill(pid, vmDir)) {
            LOG.error("QEMU pid {} for {} survived SIGKILL after a failed start", pid, vmDir);
        }
    }

    /** {@link #killLeftover} for the pid in the directory's pid file, if QEMU got as far as writing one. */
    void killLeftover(QemuFiles files) {
        try {
            String text = Files.readString(files.pidFile(), StandardCharsets.UTF_8).strip();
            killLeftover(Long.parseLong(text), files.vmDir());
        } catch (IOException | NumberFormatException e) {
            // No pid file: QEMU never got as far as daemonising, so nothing runs.
        }
    }

    /** Whether a NUL-separated {@code /proc/PID/cmdline} is QEMU {@code binary} running a machine in {@code vmDir}. */
    static boolean cmdlineMatches(byte[] cmdline, String binary, Path vmDir) {
        return runs(cmdline, binary) && args(cmdline).contains(new QemuFiles(vmDir).pidFile().toString());
    }

    /** When the process started, in clock ticks; empty when it is gone or a zombie (its QEMU exit is complete). */
    private static OptionalLong startTicks(long pid) {
        try {
            ProcStat.Times times = ProcStat.times(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
            return times.zombie() ? OptionalLong.empty() : OptionalLong.of(times.startTicks());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean runs(byte[] cmdline, String binary) {
        List<String> args = args(cmdline);
        if (args.isEmpty() || args.getFirst().isEmpty()) {
            return false;
        }
        Path program = Path.of(args.getFirst()).getFileName();
        return program != null && program.equals(Path.of(binary).getFileName());
    }

    private static List<String> args(byte[] cmdline) {
        return Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    }

    static QemuException interrupted() {
        Thread.currentThread().interrupt();
        return new QemuException("interrupted while waiting for QEMU");
    }
}
