package dev.banger.host;

import java.util.OptionalLong;

/**
 * Parsing of {@code /proc/PID/stat}, {@code /proc/PID/status} and {@code /proc/uptime}: for
 * {@code vm stats}, and for knowing a process again by its start time. Pure. Stateless and thread-safe.
 */
public final class ProcStat {
    /** Kernel clock ticks per second as reported to user space; 100 on every Linux architecture banger runs on. */
    public static final long CLOCK_TICKS = 100;

    private ProcStat() {}

    /** CPU time and start time of a process, in clock ticks. */
    public record Times(char state, long userTicks, long systemTicks, long startTicks) {
        /** A zombie has exited and waits for its parent to reap it. */
        public boolean zombie() {
            return state == 'Z';
        }

        public double cpuSeconds() {
            return (userTicks + systemTicks) / (double) CLOCK_TICKS;
        }
    }

    /** Fields 3, 14, 15 and 22 of a stat line; the command name in parentheses may hold spaces and parentheses. */
    public static Times times(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
        }
        String[] fields = statLine.substring(close + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return new Times(fields[0].charAt(0), Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[19]));
    }

    /** {@code VmRSS} of a status file, in bytes. */
    public static OptionalLong rssBytes(String status) {
        for (String line : status.split("\\R")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
            }
        }
        return OptionalLong.empty();
    }

    /** Seconds since the host booted, from {@code /proc/uptime}. */
    public static double uptimeSeconds(String uptime) {
        return Double.parseDouble(uptime.trim().split("\\s+")[0]);
    }
}
