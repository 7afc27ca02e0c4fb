package dev.banger.cli;

import dev.banger.model.BangerException;
import dev.banger.model.Deadline;
import dev.banger.model.ErrorKind;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Follows a staged operation (image build, VM create) by polling its status method, printing each
 * stage as it starts and when it ends with its duration, until the operation finishes or the
 * deadline passes. Not thread-safe.
 */
final class OperationProgress {
    private static final Duration POLL = Duration.ofMillis(150);

    /** A staged operation that ended in failure; the daemon's message says why. */
    static final class OperationFailedException extends BangerException {
        OperationFailedException(String message) {
            super(ErrorKind.INTERNAL, message);
        }
    }

    private final RpcClient client;
    private final String statusMethod;
    private final PrintWriter out;
    private final Map<String, StageState> shown = new HashMap<>();

    /** @param out where progress goes, or null to follow silently (for {@code --json}) */
    OperationProgress(RpcClient client, String statusMethod, PrintWriter out) {
        this.client = client;
        this.statusMethod = statusMethod;
        this.out = out;
    }

    /** Polls until the operation ends; returns it when it succeeded. */
    Operation follow(Operation started, Duration deadline) {
        Deadline end = Deadline.after(deadline);
        Operation current = started;
        while (true) {
            render(current);
            if (current.state() != OperationState.RUNNING) {
                return current;
            }
            if (end.expired()) {
                throw new OperationFailedException("gave up waiting after " + Durations.human(deadline) + "; operation "
                        + current.id() + " is still running in bangerd");
            }
            pause(end);
            current = client.call(statusMethod, Map.of("operationId", current.id()), Operation.class, Duration.ofSeconds(30));
        }
    }

    /** The failure of a finished operation as an exception, or nothing when it succeeded. */
    static void requireSucceeded(Operation operation) {
        if (operation.state() == OperationState.FAILED) {
            throw new OperationFailedException(operation.kind().wireName() + " of '" + operation.target() + "' failed: "
                    + Objects.requireNonNullElse(operation.error(), "no reason recorded"));
        }
    }

    private void render(Operation operation) {
        if (out == null) {
            return;
        }
        int width = operation.stages().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        for (Stage stage : operation.stages()) {
            StageState before = shown.get(stage.name());
            if (stage.state() == before || stage.state() == StageState.PENDING) {
                continue;
            }
            if (stage.state() == StageState.RUNNING) {
                out.println("  → " + stage.name());
            } else if (stage.state() == StageState.SKIPPED) {
                continue;
            } else if (stage.state() == StageState.ROLLED_BACK) {
                out.println("  ↺ " + stage.name() + " ".repeat(width - stage.name().length()) + "  rolled back");
            } else {
                String took = stage.duration().map(OperationProgress::millis).orElse("");
                String mark = stage.state() == StageState.SUCCEEDED ? "✓" : "✗";
                String suffix = stage.state() == StageState.SUCCEEDED ? "" : "  " + stage.state().wireName()
                        + (stage.error() == null ? "" : ": " + stage.error());
                out.println("  " + mark + " " + stage.name() + " ".repeat(width - stage.name().length()) + "  " + took + suffix);
            }
            shown.put(stage.name(), stage.state());
        }
        out.flush();
    }

    static String millis(Duration duration) {
        long ms = duration.toMillis();
        return ms < 10_000 ? ms + " ms" : Durations.human(duration);
    }

    private static void pause(Deadline end) {
        try {
            end.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting for the daemon");
        }
    }
}
