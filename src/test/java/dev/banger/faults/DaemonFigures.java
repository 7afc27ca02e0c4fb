package dev.banger.faults;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param fds           entries of {@code /proc/<pid>/fd} (those read: one closed meanwhile is not counted)
 * @param threads       entries of {@code /proc/<pid>/task} (platform threads; virtual threads are not tasks)
 * @param liveHeapBytes the histogram's total bytes (-1 when not measured)
 * @param bytesByClass  the histogram's bytes per class, to say what grew
 * @param fdTargets     how many descriptors point at each target, sockets, pipes and the like
 *                      counted by kind ({@code socket}, {@code pipe}), to say which ones are new
 */
record DaemonFigures(int fds, int threads, long liveHeapBytes, Map<String, Long> bytesByClass, Map<String, Integer> fdTargets) {
    private static final Duration JCMD = Duration.ofSeconds(60);
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

    DaemonFigures {
        bytesByClass = Map.copyOf(bytesByClass);
        fdTargets = Map.copyOf(fdTargets);
    }

    /** The descriptors and threads only: cheap enough to poll. */
    static DaemonFigures counts(ProcessHandle daemon) {
        Map<String, Integer> targets = fdTargets(daemon);
        int fds = targets.values().stream().mapToInt(Integer::intValue).sum();
        return new DaemonFigures(fds, entries(daemon, "task"), -1, Map.of(), targets);
    }

    /** All three; the heap figure costs a full GC in the daemon. */
    static DaemonFigures measure(ProcessHandle daemon, ProcessHostCommands host) {
        String histogram = histogram(daemon, host);
        Matcher total = TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IllegalStateException("no Total line in the class histogram of pid " + daemon.pid() + ": "
                    + histogram.substring(Math.max(0, histogram.length() - 600)));
        }
        Map<String, Long> byClass = new HashMap<>();
        Matcher row = ROW.matcher(histogram);
        while (row.find()) {
            byClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        DaemonFigures counts = counts(daemon);
        return new DaemonFigures(counts.fds(), counts.threads(), Long.parseLong(total.group(1)), byClass, counts.fdTargets());
    }

    /** The {@code limit} classes whose live bytes grew most since {@code before}, as "class +bytes". */
    List<String> grownSince(DaemonFigures before, int limit) {
        return bytesByClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.bytesByClass.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .map(e -> e.getKey() + " +" + e.getValue()).toList();
    }

    /**
     * Descriptors on the store's database ({@code state.db} and its WAL): one pair per pooled
     * connection, so their number follows how many connections the pool holds at the moment.
     */
    int storeFds() {
        return fdTargets.entrySet().stream().filter(e -> e.getKey().contains("/state.db")).mapToInt(Map.Entry::getValue).sum();
    }

    /** Every other descriptor: sockets, pipes, logs, the VMs' files. */
    int otherFds() {
        return fds - storeFds();
    }

    /** Descriptor targets of which there are more now than {@code before}, as "target +n". */
    List<String> fdsGrownSince(DaemonFigures before) {
        return fdTargets.entrySet().stream()
                .filter(e -> e.getValue() > before.fdTargets.getOrDefault(e.getKey(), 0))
                .map(e -> e.getKey() + " +" + (e.getValue() - before.fdTargets.getOrDefault(e.getKey(), 0))).sorted().toList();
    }

    @Override
    public String toString() {
        String heap = liveHeapBytes < 0 ? "" : ", live heap " + liveHeapBytes + " bytes";
        return "fds " + fds + " (" + storeFds() + " on the store), threads " + threads + heap;
    }

    private static int entries(ProcessHandle daemon, String dir) {
        Path path = Path.of("/proc", Long.toString(daemon.pid()), dir);
        try (Stream<Path> entries = Files.list(path)) {
            return (int) entries.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + path + " (has the daemon exited?): " + e, e);
        }
    }

    private static Map<String, Integer> fdTargets(ProcessHandle daemon) {
        Path dir = Path.of("/proc", Long.toString(daemon.pid()), "fd");
        Map<String, Integer> targets = new HashMap<>();
        try (Stream<Path> fds = Files.list(dir)) {
            for (Path fd : fds.toList()) {
                try {
                    // socket:[123] and pipe:[456] differ by inode only: counted by kind.
                    String target = Files.readSymbolicLink(fd).toString().replaceFirst(":\\[\\d+\\]$", "");
                    targets.merge(target, 1, Integer::sum);
                } catch (IOException closedMeanwhile) {
                    // gone between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e, e);
        }
        return targets;
    }

    private static String histogram(ProcessHandle daemon, ProcessHostCommands host) {
        Path java = Path.of(daemon.info().command().orElseThrow(
                () -> new IllegalStateException("no command line for daemon pid " + daemon.pid())));
        Path jcmd = java.resolveSibling("jcmd");
        CommandResult result = host.exec(Command.of(jcmd.toString(), Long.toString(daemon.pid()), "GC.class_histogram")
                .withTimeout(JCMD));
        if (result.exitCode() != 0) {
            String out = result.stdout();
            throw new IllegalStateException(jcmd + " " + daemon.pid() + " GC.class_histogram exited " + result.exitCode()
                    + "; end of its output: " + out.substring(Math.max(0, out.length() - 600)) + result.stderr());
        }
        return result.stdout();
    }
}
