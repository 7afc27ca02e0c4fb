package dev.banger.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A golden snapshot of an image, as {@code image.show} lists it: a guest of one shape booted to ready,
 * saved, which creates of that shape restore instead of booting. Immutable value.
 *
 * @param backend       the VMM that saved it ({@code qemu}, {@code firecracker})
 * @param vcpus         the guest's vCPUs
 * @param memoryMib     the guest's memory
 * @param kernel        the kernel file it booted, by its sha256
 * @param bootArgs      the kernel command line it booted with
 * @param agentVersion  the guest agent's sha256, from the runtime bundle
 * @param bangerVersion the banger that made it
 * @param fingerprint   the image's work-seed fingerprint when it was made
 * @param sizeBytes     bytes on disk: the saved state and the frozen disk overlays
 * @param createdAt     when it was saved
 * @param restores      how many creates it has served
 */
public record ImageSnapshot(String backend, int vcpus, int memoryMib, String kernel, String bootArgs,
        String agentVersion, String bangerVersion, String fingerprint, long sizeBytes, Instant createdAt, long restores) {
    public ImageSnapshot {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(bootArgs, "bootArgs");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(bangerVersion, "bangerVersion");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
