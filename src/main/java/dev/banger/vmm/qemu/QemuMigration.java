package dev.banger.vmm.qemu;

import dev.banger.model.Deadline;
import java.time.Duration;

/**
 * The QMP conversations behind golden snapshots, each over one connection and under one deadline:
 * {@link #save} pauses a running machine and streams it into its state file; {@link #load} starts a
 * machine waiting in {@code -incoming defer} on one, and {@link #awaitLoaded} waits until a machine
 * has read it. The process around them is {@link QemuVmm}'s. Stateless.
 *
 * <p>A machine whose RAM is a file of its own is saved and loaded with {@code x-ignore-shared}: the
 * stream then holds the devices alone (about 100 KiB), and the restored machine maps the file
 * copy-on-write instead of reading every page. QEMU 7.2 has no command-line switch for the
 * capability, so both sides set it over QMP.
 */
final class QemuMigration {
    /**
     * QEMU 7.2 throttles a migration to 128 MiB/s unless told otherwise; here it only fills a local
     * file from a stopped machine, and the limit made saving several times slower (figures in
     * {@code docs/bench.md}). 1 TiB/s: far above any disk, far below where QEMU's rate arithmetic
     * could overflow.
     */
    static final long UNTHROTTLED = 1L << 40;
    /** What {@code query-status} says while the incoming stream is still being read. */
    static final String LOADING = "inmigrate";
    /** Leaves RAM that is a shared file out of the stream (the file is the memory). */
    static final String IGNORE_SHARED = "x-ignore-shared";
    private static final Duration CALL = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(10);

    private QemuMigration() {
    }

    /**
     * {@code stop}, lifts the bandwidth limit, {@code migrate} to {@code uri}, then polls
     * {@code query-migrate} until QEMU reports {@code completed}. The machine is left paused
     * ({@code postmigrate}); ending it is the caller's.
     *
     * @param memoryApart the machine's RAM is a shared file, which the stream leaves out
     *
     * @throws QemuException with QEMU's {@code error-desc} when the migration fails, or when it does not
     *                       finish before {@code end}
     */
    static void save(QmpClient qmp, String uri, boolean memoryApart, Deadline end) {
        if (memoryApart) {
            qmp.setMigrationCapability(IGNORE_SHARED, true, call(end, "leaving the memory file out of the migration"));
        }
        qmp.stop(call(end, "pausing the machine"));
        qmp.setMigrationBandwidth(UNTHROTTLED, call(end, "lifting the migration's bandwidth limit"));
        qmp.migrate(uri, call(end, "starting the migration"));
        while (true) {
            QmpClient.Migration migration;
            try {
                migration = qmp.queryMigrate(call(end, "waiting for the migration"));
            } catch (QemuException e) {
                // A question cut short by the deadline is the migration's time running out, said as such.
                if (end.expired()) {
                    throw new QemuException(timedOut(end, "waiting for the migration").getMessage() + " (" + e.getMessage() + ")", e);
                }
                throw e;
            }
            if (migration.completed()) {
                return;
            }
            if (migration.failed()) {
                throw new QemuException("the migration to '" + uri + "' " + migration.status()
                        + (migration.errorDesc().isEmpty() ? "" : ": " + migration.errorDesc()));
            }
            pause(end, "waiting for the migration (last status '" + migration.status() + "')");
        }
    }

    /**
     * Has a machine started with {@code -incoming defer} load {@code uri}, a stream saved with its
     * memory apart ({@code x-ignore-shared}), then {@link #awaitLoaded}.
     *
     * @throws QemuException as {@link #awaitLoaded}, or when QEMU refuses the capability or the URI
     */
    static String load(QmpClient qmp, String uri, Deadline end) {
        qmp.setMigrationCapability(IGNORE_SHARED, true, rest(end, "asking for the memory file to be left as it is"));
        qmp.migrateIncoming(uri, rest(end, "starting to load the snapshot"));
        return awaitLoaded(qmp, end);
    }

    /**
     * Polls {@code query-status} until the machine is no longer {@code inmigrate}, then requires
     * {@code query-migrate} to say {@code completed}. A load that fails makes QEMU exit, which the
     * caller sees as a failed QMP call; a stream that ends before it began leaves QEMU 7.2 in
     * {@code inmigrate} for good, which only the deadline ends.
     *
     * @return the run state after loading: {@code paused} for a machine saved stopped
     * @throws QemuException when the load fails or does not end before {@code end}
     */
    static String awaitLoaded(QmpClient qmp, Deadline end) {
        while (true) {
            // The whole budget for each call: while several machines load at once a busy QEMU answers
            // late, and a late answer is no reason to give up on a snapshot; one that exits closes the socket.
            String status = qmp.queryStatus(rest(end, "waiting for the snapshot to load"));
            if (!status.equals(LOADING)) {
                QmpClient.Migration migration = qmp.queryMigrate(rest(end, "checking the loaded snapshot"));
                if (!migration.completed()) {
                    throw new QemuException("loading the snapshot ended in run state '" + status + "' with migration status '"
                            + migration.status() + "'" + (migration.errorDesc().isEmpty() ? "" : ": " + migration.errorDesc()));
                }
                return status;
            }
            pause(end, "waiting for the snapshot to load");
        }
    }

    /** What is left of {@code end}, for one call. */
    private static Duration rest(Deadline end, String step) {
        long left = end.remainingNanos();
        if (left <= 0) {
            throw timedOut(end, step);
        }
        return Duration.ofNanos(left);
    }

    /** One QMP call's budget: at most {@link #CALL}, never past {@code end}. */
    private static Duration call(Deadline end, String step) {
        long left = end.remainingNanos();
        if (left <= 0) {
            throw timedOut(end, step);
        }
        return Duration.ofNanos(Math.min(left, CALL.toNanos()));
    }

    private static void pause(Deadline end, String step) {
        if (end.expired()) {
            throw timedOut(end, step);
        }
        try {
            end.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QemuException("interrupted while " + step);
        }
    }

    private static QemuException timedOut(Deadline end, String step) {
        return new QemuException("timed out after " + end.budget().toSeconds() + " s " + step);
    }
}
