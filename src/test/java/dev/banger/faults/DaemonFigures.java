package dev.banger.faults;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the soak watches of the daemon's process: its open file descriptors and threads (counted in
 * {@code /proc}) and the bytes of live objects on its heap after a full GC. The heap figure comes
 * from {@code jcmd <pid> GC.class_histogram}, which collects before it counts (live objects only),
 * so it does not depend on when the last collection happened to run; the {@code jcmd} is the one
 * beside the daemon's own {@code java}, so it speaks the daemon's JDK. Immutable value.
 *
 * @param fds           entries of {@code /proc/<pid>/fd}
 * @param threads       entries of {@code /proc/<pid>/task} (platform threads; virtual threads are not tasks)
 * @param liveHeapBytes the histogram's total bytes
 */
record DaemonFigures(int fds, int threads, long liveHeapBytes) {
    private static final Duration JCMD = Duration.ofSeconds(60);
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    /** The descriptors and threads only: cheap enough to poll. */
    static DaemonFigures counts(ProcessHandle daemon) {
        return new DaemonFigures(entries(daemon, "fd"), entries(daemon, "task"), -1);
    }

    /** All three; the heap figure costs a full GC in the daemon. */
    static DaemonFigures measure(ProcessHandle daemon, ProcessHostCommands host) {
        long live = liveHeapBytes(daemon, host);
        DaemonFigures counts = counts(daemon);
        return new DaemonFigures(counts.fds(), counts.threads(), live);
    }

    private static int entries(ProcessHandle daemon, String dir) {
        Path path = Path.of("/proc", Long.toString(daemon.pid()), dir);
        try (Stream<Path> entries = Files.list(path)) {
            return (int) entries.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + path + " (has the daemon exited?): " + e, e);
        }
    }

    private static long liveHeapBytes(ProcessHandle daemon, ProcessHostCommands host) {
        Path java = Path.of(daemon.info().command().orElseThrow(
                () -> new IllegalStateException("no command line for daemon pid " + daemon.pid())));
        Path jcmd = java.resolveSibling("jcmd");
        CommandResult result = host.exec(Command.of(jcmd.toString(), Long.toString(daemon.pid()), "GC.class_histogram")
                .withTimeout(JCMD));
        Matcher total = TOTAL.matcher(result.stdout());
        if (result.exitCode() != 0 || !total.find()) {
            String out = result.stdout();
            throw new IllegalStateException(jcmd + " " + daemon.pid() + " GC.class_histogram exited " + result.exitCode()
                    + " without a Total line; end of its output: " + out.substring(Math.max(0, out.length() - 600))
                    + result.stderr());
        }
        return Long.parseLong(total.group(1));
    }
}
