package dev.banger.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code banger runtime bootstrap} did, artifact by artifact. Immutable.
 *
 * @param root     the bundle directory
 * @param outcomes one per artifact of the spec, in spec order
 */
public record BootstrapReport(Path root, List<Outcome> outcomes) {
    public BootstrapReport {
        outcomes = List.copyOf(outcomes);
    }

    /** True when every required artifact is in place and no sum mismatched. */
    public boolean succeeded() {
        return outcomes.stream().noneMatch(o -> o.result() == Result.FAILED);
    }

    public List<Outcome> warnings() {
        return outcomes.stream().filter(o -> o.result() == Result.MISSING_OPTIONAL).toList();
    }

    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.result() == Result.FAILED).toList();
    }

    public enum Result {
        /** Fetched or staged and placed in the bundle. */
        INSTALLED,
        /** An optional artifact could not be had; the bundle works without it. */
        MISSING_OPTIONAL,
        /** A required artifact could not be had, or any sum mismatched. */
        FAILED
    }

    /**
     * @param message for INSTALLED the source; otherwise what went wrong and what to do
     */
    public record Outcome(String name, Result result, String version, Path path, String sha256, String message) {
        public Outcome {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(result, "result");
            version = version == null ? "" : version;
            sha256 = sha256 == null ? "" : sha256;
            message = message == null ? "" : message;
        }
    }
}
