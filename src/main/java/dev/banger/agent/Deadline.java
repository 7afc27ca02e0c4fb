package dev.banger.agent;

import java.time.Duration;

/**
 * The end of one agent call: the shared {@link dev.banger.model.Deadline} plus what an agent error
 * names, the endpoint and the call's budget. Every blocking step asks it how long it may wait and
 * reports the step by name when time is up. Immutable.
 */
final class Deadline {
    private final dev.banger.model.Deadline end;
    private final Duration budget;
    private final String target;

    private Deadline(dev.banger.model.Deadline end, Duration budget, String target) {
        this.end = end;
        this.budget = budget;
        this.target = target;
    }

    static Deadline after(Duration budget, String target) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("an agent call needs a positive deadline, got " + budget);
        }
        return new Deadline(dev.banger.model.Deadline.after(budget), budget, target);
    }

    /** A deadline at most {@code fraction} of the remaining time away, never later than this one. */
    Deadline portion(double fraction) {
        long remaining = Math.max(0, end.remainingNanos());
        return new Deadline(dev.banger.model.Deadline.after(Duration.ofNanos((long) (remaining * fraction))), budget, target);
    }

    long remainingNanos() {
        return end.remainingNanos();
    }

    boolean expired() {
        return end.expired();
    }

    /** Milliseconds left (at least 1 while time remains), or throws naming {@code step}. */
    long remainingMillisOrThrow(String step) {
        long nanos = remainingNanos();
        if (nanos <= 0) {
            throw exceeded(step);
        }
        return Math.max(1, nanos / 1_000_000);
    }

    AgentException exceeded(String step) {
        return new AgentException(AgentException.Reason.DEADLINE_EXCEEDED,
                "agent at " + target + " did not finish within " + budget.toMillis() + " ms: timed out " + step);
    }
}
