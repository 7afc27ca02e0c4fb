package dev.banger.vmm.qemu;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * QEMU processes already proven to run the machine of a directory, known again by pid and start
 * time (a recycled pid starts later). A liveness poll then reads one stat file instead of the
 * command line and, for a machine moved from the warm pool, every open descriptor; a create's boot
 * polls it every few milliseconds. Thread-safe.
 */
final class KnownMachines {
    private record Known(long startTicks, Path dir) {}

    private final Map<Long, Known> known = new ConcurrentHashMap<>();

    /** Whether the process {@code pid} that started at {@code startTicks} was proven to run the machine in {@code dir}. */
    boolean isKnown(long pid, long startTicks, Path dir) {
        return new Known(startTicks, dir).equals(known.get(pid));
    }

    void remember(long pid, long startTicks, Path dir) {
        known.put(pid, new Known(startTicks, dir));
    }

    /**
     * The directory of a known machine was renamed from {@code from} to {@code to}: the same process
     * holds the same files, now there. False (and nothing changes) when it was not known in {@code from}.
     */
    boolean moved(long pid, long startTicks, Path from, Path to) {
        return known.replace(pid, new Known(startTicks, from), new Known(startTicks, to));
    }

    /** The process is gone: its pid may be recycled. */
    void forget(long pid) {
        known.remove(pid);
    }
}
