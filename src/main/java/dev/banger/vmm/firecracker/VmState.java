package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PATCH /vm}: pause or resume the vCPUs of a booted or loaded machine. Immutable value. */
public record VmState(@JsonProperty("state") State state) {

    /** The states banger asks for, spelled as Firecracker's API wants them. */
    public enum State {
        @JsonProperty("Paused") PAUSED,
        @JsonProperty("Resumed") RESUMED
    }
}
