package dev.banger.bench;

import dev.banger.model.Operation;
import dev.banger.model.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one benchmarked create, in milliseconds: each stage as the daemon timed it, the
 * host-side overhead (request sent → VMM started), the create (request → operation finished), the
 * SSH command, the delete, and the total (request → command done over SSH). Stage times and the
 * ends come from the daemon's timestamps, so the client's polling interval adds nothing. Both
 * clocks are this host's wall clock. Immutable value.
 *
 * @param path        fast or slow path
 * @param requestedAt when the client sent {@code vm.create.begin}
 * @param vmmStarted  when the VMM stage ended
 * @param stages      stage name → duration, in pipeline order
 * @param hostSide    request → VMM started
 * @param create      request → create finished (VM reachable over SSH)
 * @param sshCommand  one command over SSH
 * @param delete      {@code vm.delete}
 * @param total       request → SSH command done
 */
public record CreateRun(CreatePath path, Instant requestedAt, Instant vmmStarted, Map<String, Double> stages, double hostSide,
        double create, double sshCommand, double delete, double total) {
    /** The stage whose end marks the end of the host-side work. */
    public static final String VMM_START = "vmm-start";

    public CreateRun {
        Objects.requireNonNull(path, "path");
        stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    /**
     * The figures of a finished, successful create operation.
     *
     * @throws IllegalArgumentException when a stage has no times or the operation has no end
     */
    public static CreateRun of(CreatePath path, Instant requestedAt, Operation created, Duration sshCommand, Duration delete) {
        Map<String, Double> stages = new LinkedHashMap<>();
        Instant vmmStarted = null;
        for (Stage stage : created.stages()) {
            Duration took = stage.duration().orElseThrow(() -> new IllegalArgumentException(
                    "stage " + stage.name() + " of " + created.target() + " has no start or end (" + stage.state() + ")"));
            stages.put(stage.name(), millis(took));
            if (stage.name().equals(VMM_START)) {
                vmmStarted = stage.endedAt();
            }
        }
        if (vmmStarted == null || created.endedAt() == null) {
            throw new IllegalArgumentException("operation " + created.id() + " has no " + VMM_START + " stage or no end");
        }
        double create = millis(Duration.between(requestedAt, created.endedAt()));
        double ssh = millis(sshCommand);
        return new CreateRun(path, requestedAt, vmmStarted, stages, millis(Duration.between(requestedAt, vmmStarted)), create,
                ssh, millis(delete), create + ssh);
    }

    static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
