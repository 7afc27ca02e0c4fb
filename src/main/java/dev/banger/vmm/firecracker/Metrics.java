package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PUT /metrics}: the file Firecracker flushes its JSON metrics to. Immutable value. */
public record Metrics(@JsonProperty("metrics_path") String metricsPath) {
}
