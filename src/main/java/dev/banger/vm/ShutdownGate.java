package dev.banger.vm;

import dev.banger.model.Deadline;
import java.time.Duration;

/**
 * Lets units of work (one VM's delete) start until shutdown closes the gate, and lets shutdown
 * wait, bounded, for those already started, so none is cut in half. Thread-safe.
 */
final class ShutdownGate {
    private int running;
    private boolean closed;

    /** True when the work may start (call {@link #exit} when it ends); false once the gate is closed. */
    synchronized boolean enter() {
        if (closed) {
            return false;
        }
        running++;
        return true;
    }

    synchronized void exit() {
        running--;
        if (running == 0) {
            notifyAll();
        }
    }

    /** Closes the gate and waits up to {@code limit} for running work; true when none is left. */
    synchronized boolean closeAndAwait(Duration limit) {
        closed = true;
        Deadline deadline = Deadline.after(limit);
        while (running > 0) {
            long left = deadline.remainingNanos();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
