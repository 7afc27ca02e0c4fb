package dev.banger.vm.host;

import dev.banger.model.Deadline;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets the guests of creates whose host-side work overlapped run together, once the last of them
 * has its VMM started. A booting guest keeps a core busy (all of it under TCG), so a guest let run
 * while other creates still clone disks and start VMMs takes the cores from them (docs/bench.md has
 * the figures). Held at most {@code maxHold}, so a slow
 * create (a full disk copy) cannot keep the others' guests waiting for long; a create waits only
 * for creates that began before its own host side ended, never for later ones. Background host
 * work waits for a quiet moment the same way ({@link #awaitQuiet}). Thread-safe.
 */
public final class GuestStartGate {
    /** The longest a guest waits for the host side of creates begun alongside it, or background work for creates. */
    public static final Duration HOLD = Duration.ofSeconds(2);

    private final Duration maxHold;
    private final TreeSet<Long> inHostSide = new TreeSet<>();
    private long issued;

    public GuestStartGate(Duration maxHold) {
        this.maxHold = maxHold;
    }

    /** A create's host side begins. */
    public synchronized Pass enter() {
        long ticket = ++issued;
        inHostSide.add(ticket);
        return new Pass(ticket);
    }

    private synchronized void leave(long ticket) {
        if (inHostSide.remove(ticket)) {
            notifyAll();
        }
    }

    /**
     * Waits until no create is on its host side, at most the gate's hold: background host work (the
     * TAP pool's refills, warm machines' start-ups) then does not compete with creates for the cores.
     * True when none is.
     */
    public synchronized boolean awaitQuiet() {
        return awaitWhile(() -> !inHostSide.isEmpty());
    }

    /** Leaves, then waits until every create that entered by now has left or the hold ends; true when they all left. */
    private synchronized boolean leaveAndAwait(long ticket) {
        leave(ticket);
        long cohort = issued;
        return awaitWhile(() -> !inHostSide.isEmpty() && inHostSide.first() <= cohort);
    }

    /** Waits, holding this gate's monitor, while {@code busy} holds, at most the hold; true when it stopped holding. */
    private boolean awaitWhile(BooleanSupplier busy) {
        Deadline deadline = Deadline.after(maxHold);
        try {
            while (busy.getAsBoolean()) {
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One create's place at the gate. */
    public final class Pass {
        private final long ticket;

        private Pass(long ticket) {
            this.ticket = ticket;
        }

        /** The host side ended without a guest to run (the create failed); idempotent. */
        public void leave() {
            GuestStartGate.this.leave(ticket);
        }

        /**
         * The host side is done: waits until every create that entered before now has its VMM
         * started (or failed), at most the gate's hold. Returns false when the hold ran out.
         */
        public boolean leaveAndAwaitCohort() {
            return leaveAndAwait(ticket);
        }
    }
}
