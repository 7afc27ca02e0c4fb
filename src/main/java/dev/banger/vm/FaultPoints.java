package dev.banger.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deterministic fault points for the fault-injection suite. When the daemon was started with
 * {@code BANGER_FAULT_HOLD} naming points (comma-separated {@code <kind>:<detail>}, e.g.
 * {@code vm-create:work-disk} for the start of a create stage, {@code vm-delete:b} for the start of
 * one VM's delete), an operation reaching such a point logs it, writes the marker file
 * {@code <runtime dir>/fault-held.<kind>.<detail>} and blocks until the marker is deleted (the test
 * lets it go on), {@link #release} (the daemon's shutdown), an interrupt, or {@link #HOLD_LIMIT} —
 * so a test can kill the daemon exactly there, or change the host before the stage runs.
 * Without the variable every call returns at once.
 *
 * <p>{@code BANGER_FAULT_SKIP_GUEST_WAIT=<prefix>} (test-only, for the soak) makes the boot, sshd
 * and services stages of creates of VMs whose names start with {@code <prefix>} pass without
 * waiting for the guest: such a create does all its host-side work (row, disks, TAP, capabilities,
 * VMM started, guest resumed) and records the VM running at once, so a test can run a hundred
 * create/delete cycles without a hundred guest boots, while creates of other names against the
 * same daemon wait as usual. Such a VM has no host keys recorded and may not answer SSH yet, and
 * its delete stops the VMM without the grace a booted guest gets to shut down (a guest still in
 * early boot ignores Ctrl-Alt-Delete, so each delete would wait the full 10 s). Thread-safe.
 */
public final class FaultPoints {
    private static final Logger LOG = LoggerFactory.getLogger(FaultPoints.class);
    public static final String ENV = "BANGER_FAULT_HOLD";
    /** A VM name prefix: creates and deletes of such VMs do not wait for their guests (see the class comment). Test-only. */
    public static final String SKIP_GUEST_WAIT_ENV = "BANGER_FAULT_SKIP_GUEST_WAIT";
    /** A held operation goes on after this long, so a forgotten variable cannot wedge a daemon for ever. */
    public static final Duration HOLD_LIMIT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(50);
    public static final FaultPoints NONE = new FaultPoints(Set.of(), Path.of("."), "");

    private final Set<String> points;
    private final Path markerDir;
    /** Empty: every create waits for its guest. */
    private final String skipGuestWaitPrefix;
    private final CountDownLatch released = new CountDownLatch(1);

    FaultPoints(Set<String> points, Path markerDir, String skipGuestWaitPrefix) {
        this.points = Set.copyOf(points);
        this.markerDir = markerDir;
        this.skipGuestWaitPrefix = skipGuestWaitPrefix;
    }

    /** The points named by {@value #ENV} in {@code env}; markers go to {@code runtimeDir}. */
    public static FaultPoints fromEnvironment(Map<String, String> env, Path runtimeDir) {
        String spec = env.getOrDefault(ENV, "");
        String skipPrefix = env.getOrDefault(SKIP_GUEST_WAIT_ENV, "").strip();
        if (spec.isBlank() && skipPrefix.isEmpty()) {
            return NONE;
        }
        Set<String> points = Arrays.stream(spec.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                .collect(Collectors.toSet());
        if (!points.isEmpty()) {
            LOG.warn("fault points armed ({}={}): operations reaching them will hold", ENV, spec);
        }
        if (!skipPrefix.isEmpty()) {
            LOG.warn("TEST-ONLY fault switch armed ({}={}): creates of VMs named {}* do not wait for their guests' agent, sshd"
                    + " or services (they are recorded running before their guests answer), and their deletes give the guests no"
                    + " time to shut down", SKIP_GUEST_WAIT_ENV, skipPrefix, skipPrefix);
        }
        return new FaultPoints(points, runtimeDir, skipPrefix);
    }

    /** The marker file written when {@code kind:detail} is reached. */
    public static Path marker(Path runtimeDir, String kind, String detail) {
        return runtimeDir.resolve("fault-held." + kind + "." + detail);
    }

    public boolean armed() {
        return !points.isEmpty();
    }

    /** Whether the create and delete of {@code vm} skip their guest waits ({@value #SKIP_GUEST_WAIT_ENV}); false in production. */
    public boolean skipsGuestWait(String vm) {
        return !skipGuestWaitPrefix.isEmpty() && vm.startsWith(skipGuestWaitPrefix);
    }

    /** Holds the calling operation if {@code kind:detail} is armed; returns at once otherwise. */
    public void reach(String kind, String detail) {
        String point = kind + ":" + detail;
        if (!points.contains(point)) {
            return;
        }
        LOG.warn("fault point {} reached: holding", point);
        Path marker = marker(markerDir, kind, detail);
        try {
            Files.writeString(marker, point + "\n");
        } catch (IOException e) {
            LOG.error("fault point {}: cannot write its marker: {}", point, e.toString());
            return;
        }
        long deadline = System.nanoTime() + HOLD_LIMIT.toNanos();
        try {
            // Polled: a test-only hold, and deleting the marker is the simplest release a test can give.
            while (Files.exists(marker) && !released.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("fault point {}: held for {}; going on", point, HOLD_LIMIT);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("fault point {} released", point);
    }

    /** Lets every held operation go on (and later ones pass); called when the daemon shuts down. */
    public void release() {
        released.countDown();
    }
}
