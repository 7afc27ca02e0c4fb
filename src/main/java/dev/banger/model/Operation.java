package dev.banger.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A long-running operation such as a VM create, with its stages in order. Immutable value;
 * {@code endedAt} and {@code error} are {@code null} until it finishes or fails.
 *
 * @param id        opaque id handed to clients (e.g. by {@code vm.create.begin})
 * @param kind      what it does
 * @param target    name of the VM it acts on
 * @param state     its progress as a whole
 * @param error     why it failed, or null
 * @param startedAt when it began
 * @param endedAt   when it finished, or null while running
 * @param stages    its stages ordered by {@link Stage#order()}
 */
public record Operation(
        String id,
        OperationKind kind,
        String target,
        OperationState state,
        String error,
        Instant startedAt,
        Instant endedAt,
        List<Stage> stages) {

    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        stages = List.copyOf(stages);
    }
}
