package dev.banger.vmm.firecracker;

import dev.banger.host.DetachedProcess;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Finds the Firecracker process behind a stored {@link VmmInstance} and ends it: the process must
 * have the recorded start time and be this VM's Firecracker, launched directly or jailed, so a
 * recycled pid is never signalled. Stateless and thread-safe.
 */
final class FirecrackerProcesses {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FirecrackerProcesses.class);
    /** How long a SIGKILLed process may take to disappear. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How long a SIGTERMed machine that cannot take Ctrl-Alt-Del may take to exit before SIGKILL. */
    static final Duration TERM_WAIT = Duration.ofSeconds(2);

    /** A live process that is this machine's Firecracker, and where its files are. */
    record Running(ProcessHandle process, FirecrackerPaths paths) {}

    private FirecrackerProcesses() {
    }

    /**
     * The live process behind {@code instance}, only if it is still that machine's Firecracker: it
     * started when the instance says (when the instance knows; a recycled pid started later), and
     * it was launched directly (its command line gives the VM's API socket to {@code --api-sock})
     * or jailed (its command line is a jailed Firecracker's, and its root is that machine's jail in
     * this VM directory). What the program is called plays no part.
     */
    static Optional<Running> ours(VmmInstance instance) {
        long pid = instance.pid();
        OptionalLong started = DetachedProcess.startTicks(pid);
        if (started.isEmpty() || (instance.startTicks().isPresent() && !instance.startTicks().equals(started))) {
            return Optional.empty();
        }
        // The handle keeps the start time it saw: it never signals a process that took the pid later.
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmdline = DetachedProcess.cmdline(pid);
        FirecrackerLayout direct = new FirecrackerLayout(instance.vmDir());
        Optional<FirecrackerPaths> paths = FirecrackerCommandLine.servesApiSocket(cmdline, direct)
                ? Optional.of(direct)
                : FirecrackerCommandLine.jailedInstanceId(cmdline).flatMap(id -> jailOf(pid, direct.vmDir(), id));
        // The same process from the first look to the last: the pid was not recycled while we read.
        return paths.filter(found -> DetachedProcess.startTicks(pid).equals(started))
                .map(found -> new Running(process.get(), found));
    }

    /** {@link #ours}, or an error saying the machine is gone and what could not be done. */
    static Running require(VmmInstance instance, String consequence) {
        return ours(instance).orElseThrow(() -> new VmmException("firecracker pid " + instance.pid() + " for "
                + instance.vmDir() + " is gone; " + consequence));
    }

    /**
     * The jail in {@code vmDir} for instance {@code id} that is the root of process {@code pid}.
     * The jailer names the jail after the executable's file name, so every name there is a candidate.
     */
    private static Optional<FirecrackerPaths> jailOf(long pid, Path vmDir, String id) {
        List<Path> named;
        try (Stream<Path> list = Files.list(vmDir.resolve(JailLayout.CHROOT_BASE))) {
            named = list.toList();
        } catch (IOException e) {
            return Optional.empty(); // no jail in this VM directory
        }
        for (Path name : named) {
            JailLayout jail;
            try {
                jail = new JailLayout(vmDir, name.getFileName().toString(), id);
            } catch (IllegalArgumentException e) {
                continue;
            }
            // Unreadable only when not permitted; the command line and the jail directory then have to do.
            if (Files.isDirectory(jail.root()) && DetachedProcess.rootIs(pid, jail.root()).orElse(true)) {
                return Optional.of(jail);
            }
        }
        return Optional.empty();
    }

    /** SIGTERM, a short bounded wait, then SIGKILL: for a machine that cannot take Ctrl-Alt-Del. */
    static void terminate(VmmInstance instance, ProcessHandle process, FirecrackerPaths paths) {
        process.destroy();
        if (awaitExit(process, TERM_WAIT)) {
            return;
        }
        LOG.warn("firecracker pid {} did not exit within {} ms of SIGTERM; killing it", instance.pid(), TERM_WAIT.toMillis());
        if (!kill(process)) {
            throw stillRuns(instance, paths);
        }
    }

    static VmmException stillRuns(VmmInstance instance, FirecrackerPaths paths) {
        return new VmmException("firecracker pid " + instance.pid() + " for " + instance.vmDir()
                + " still runs " + KILL_WAIT.toMillis() + " ms after SIGKILL" + LogTails.of(paths.logs()));
    }

    /** SIGKILL, then a bounded wait; true when the process is gone. */
    static boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return awaitExit(process, KILL_WAIT);
    }

    static boolean awaitExit(ProcessHandle process, Duration wait) {
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
