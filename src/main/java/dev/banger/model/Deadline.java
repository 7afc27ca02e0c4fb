package dev.banger.model;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The end of one bounded wait, on the monotonic clock, and the polling that goes with it: every
 * wait in banger takes a {@link Duration} and fails fast once it is spent, so this is the one
 * place that turns a duration into an end and sleeps between looks. A pause never outlasts the
 * deadline and is interruptible: an interrupt ends it with {@link InterruptedException} (the
 * thread's flag cleared, as {@link Thread#sleep} does), which each caller reports in its own
 * words. Immutable and thread-safe; {@link #await} runs its condition on the calling thread.
 */
public final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(long endNanos, Duration budget) {
        this.endNanos = endNanos;
        this.budget = budget;
    }

    /** A deadline {@code budget} from now; a zero budget is already expired. */
    public static Deadline after(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("a deadline needs a budget of zero or more, got " + budget);
        }
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** The duration this deadline was made with, for messages ("within 30 s"). */
    public Duration budget() {
        return budget;
    }

    /** Nanoseconds left; zero or negative once the deadline has passed. */
    public long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /**
     * Sleeps for {@code interval}, cut short at the deadline; returns at once once it has passed.
     *
     * @throws InterruptedException when the thread is or gets interrupted, even with no time left
     */
    public void sleep(Duration interval) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long nanos = Math.min(interval.toNanos(), remainingNanos());
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /**
     * Asks {@code condition} every {@code interval} until it holds or the deadline passes. It is
     * asked first at once, and once more after the last pause, so a condition met at the deadline
     * still counts.
     *
     * @return true when the condition held, false when the deadline passed first
     * @throws InterruptedException when interrupted while pausing
     */
    public boolean await(BooleanSupplier condition, Duration interval) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (expired()) {
                return false;
            }
            sleep(interval);
        }
        return true;
    }

    /**
     * {@link #await}, failing with {@code timedOut}'s exception when the deadline passes first.
     *
     * @throws InterruptedException when interrupted while pausing
     */
    public void awaitOrThrow(BooleanSupplier condition, Duration interval, Supplier<? extends RuntimeException> timedOut)
            throws InterruptedException {
        if (!await(condition, interval)) {
            throw timedOut.get();
        }
    }
}
