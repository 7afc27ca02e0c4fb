package dev.banger.vmm.firecracker;

/**
 * Body of {@code PUT /entropy}: a virtio-rng device with no rate limit, so a guest has entropy
 * from its first boot (its SSH host keys are made then). Immutable value.
 */
public record EntropyDevice() {
}
