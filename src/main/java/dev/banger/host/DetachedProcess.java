package dev.banger.host;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Starts a long-lived program that must outlive its starter (the daemon for Firecracker, the CLI
 * for {@code bangerd}), and reads what {@code /proc} says about a pid. {@link HostCommands} runs
 * programs to completion and captures their output, which is the wrong shape here; like it, this
 * takes an argument list, never a shell string. Output goes to a log file (no pipe ties the program
 * to us) and stdin is {@code /dev/null}; callers begin the argv with {@code setsid} so the program
 * leaves our session. Stateless and thread-safe.
 */
public final class DetachedProcess {
    private DetachedProcess() {
    }

    /**
     * Starts {@code argv} with stdout and stderr appended to {@code log}.
     *
     * @throws HostException naming the command and why, when it cannot be started
     */
    public static Process start(List<String> argv, Path log) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new HostException("could not start " + Command.of(argv).display() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the process's root directory ({@code /proc/PID/root}, which a chroot or pivot_root
     * moves) is {@code dir}: compared by device and inode, since the link's text is relative to
     * the process's own mount namespace. Empty when it cannot be read (not permitted); false
     * when the process is gone.
     */
    public static Optional<Boolean> rootIs(long pid, Path dir) {
        try {
            return Optional.of(Files.isSameFile(Path.of("/proc", Long.toString(pid), "root"), dir));
        } catch (AccessDeniedException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(false);
        }
    }

    /**
     * When the process started, in clock ticks after the host booted ({@code /proc/PID/stat}
     * field 22): the same for as long as the pid is this process, different once it is recycled.
     * Empty when the process is gone or a zombie (it has exited).
     */
    public static OptionalLong startTicks(long pid) {
        try {
            ProcStat.Times times = ProcStat.times(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
            return times.zombie() ? OptionalLong.empty() : OptionalLong.of(times.startTicks());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // gone, or exited while we read
        }
    }

    /** The process's command line, or an empty list when it is gone (or a zombie). */
    public static List<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return List.of();
            }
            String text = new String(raw, StandardCharsets.UTF_8);
            if (text.endsWith("\0")) {
                text = text.substring(0, text.length() - 1);
            }
            return Arrays.asList(text.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }
}
