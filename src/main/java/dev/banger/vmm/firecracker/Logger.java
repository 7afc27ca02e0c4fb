package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PUT /logger}: where Firecracker writes its own log and how much. Immutable value. */
public record Logger(
        @JsonProperty("log_path") String logPath,
        @JsonProperty("level") Level level) {

    /** Firecracker's log levels, spelled as its API wants them. */
    public enum Level {
        @JsonProperty("Error") ERROR,
        @JsonProperty("Warning") WARNING,
        @JsonProperty("Info") INFO,
        @JsonProperty("Debug") DEBUG
    }
}
