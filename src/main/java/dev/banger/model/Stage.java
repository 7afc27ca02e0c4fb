package dev.banger.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One timed step of an operation, e.g. {@code allocate} or {@code boot}. Immutable value; times
 * and error are {@code null} until they happen.
 *
 * @param name      stage name, unique within its operation
 * @param order     position in the operation, from 0
 * @param state     its progress
 * @param startedAt when it started, or null while pending
 * @param endedAt   when it finished, or null while pending or running
 * @param error     why it failed, or null
 */
public record Stage(String name, int order, StageState state, Instant startedAt, Instant endedAt, String error) {
    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    /** How long it ran, once it has both a start and an end. */
    public Optional<Duration> duration() {
        return startedAt == null || endedAt == null
                ? Optional.empty()
                : Optional.of(Duration.between(startedAt, endedAt));
    }
}
