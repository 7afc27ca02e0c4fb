package dev.banger.bench;

import dev.banger.model.Operation;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
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
 * clocks are this host's wall clock. A create restored from a golden snapshot runs {@code restore}
 * and {@code identity} instead of {@code vmm-start} and {@code boot}; the stages it skipped are
 * left out; its machine is loaded, paused, when {@code restore} ends, as a booting one is started
 * when {@code vmm-start} ends, and runs in {@code identity}. Immutable value.
 *
 * @param path        which path the create was asked to take
 * @param requestedAt when the client sent {@code vm.create.begin}
 * @param vmmStarted  when the machine was ready to run: the end of {@code vmm-start}, or of {@code restore}
 * @param stages      stage name → duration, in pipeline order, the skipped ones left out
 * @param hostSide    request → VMM started
 * @param create      request → create finished (VM reachable over SSH)
 * @param sshCommand  one command over SSH
 * @param delete      {@code vm.delete}
 * @param total       request → SSH command done
 * @param rssBytes    the VMM process's resident memory right after the create, or null when not read
 */
public record CreateRun(CreatePath path, Instant requestedAt, Instant vmmStarted, Map<String, Double> stages, double hostSide,
        double create, double sshCommand, double delete, double total, Long rssBytes) {
    /** The stage whose end marks the end of the host-side work of a create that boots. */
    public static final String VMM_START = "vmm-start";
    /** The stage whose end marks it for a create restored from a snapshot. */
    public static final String RESTORE = "restore";

    public CreateRun {
        Objects.requireNonNull(path, "path");
        stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    /**
     * The figures of a finished, successful create operation.
     *
     * @param rssBytes the VMM's resident memory read after the create, or null
     * @throws IllegalArgumentException when a stage that ran has no times, or the operation has no end
     */
    public static CreateRun of(CreatePath path, Instant requestedAt, Operation created, Duration sshCommand, Duration delete,
            Long rssBytes) {
        Map<String, Double> stages = new LinkedHashMap<>();
        Instant vmmStarted = null;
        for (Stage stage : created.stages()) {
            if (stage.state() == StageState.SKIPPED) {
                continue;
            }
            Duration took = stage.duration().orElseThrow(() -> new IllegalArgumentException(
                    "stage " + stage.name() + " of " + created.target() + " has no start or end (" + stage.state().wireName() + ")"));
            stages.put(stage.name(), millis(took));
            boolean started = stage.name().equals(VMM_START) || stage.name().equals(RESTORE);
            if (started && stage.state() == StageState.SUCCEEDED) {
                vmmStarted = stage.endedAt();
            }
        }
        if (vmmStarted == null || created.endedAt() == null) {
            throw new IllegalArgumentException("operation " + created.id() + " has no " + VMM_START + " or " + RESTORE
                    + " stage, or no end");
        }
        double create = millis(Duration.between(requestedAt, created.endedAt()));
        double ssh = millis(sshCommand);
        return new CreateRun(path, requestedAt, vmmStarted, stages, millis(Duration.between(requestedAt, vmmStarted)), create,
                ssh, millis(delete), create + ssh, rssBytes);
    }

    /** Whether the create restored a golden snapshot instead of booting (a restore that fell back to a boot did not). */
    public boolean restored() {
        return stages.containsKey(RESTORE) && !stages.containsKey(VMM_START);
    }

    /** How long starting the machine took: the VMM's start, or the snapshot's restore. */
    public double machineStart() {
        return stages.getOrDefault(VMM_START, stages.getOrDefault(RESTORE, 0.0));
    }

    static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
