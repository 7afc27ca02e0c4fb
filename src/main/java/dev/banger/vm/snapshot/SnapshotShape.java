package dev.banger.vm.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a golden snapshot was made for. A create restores one only when every field equals its own:
 * a saved guest is only valid for the same machine (backend, vCPUs, memory, kernel and its command
 * line, and acceleration) running the same guest agent, saved by the same banger. Immutable value.
 *
 * @param image         the image's name
 * @param backend       the VMM's name
 * @param kvm           whether the machine ran under KVM (a snapshot saved under emulation does not load under KVM)
 * @param vcpus         the guest's vCPUs
 * @param memoryMib     the guest's memory
 * @param kernel        the kernel file's sha256
 * @param bootArgs      the kernel command line the golden guest booted with
 * @param agentVersion  the guest agent's sha256 (the runtime bundle's)
 * @param bangerVersion the banger version
 */
public record SnapshotShape(String image, String backend, boolean kvm, int vcpus, int memoryMib, String kernel, String bootArgs,
        String agentVersion, String bangerVersion) {
    public SnapshotShape {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(bootArgs, "bootArgs");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(bangerVersion, "bangerVersion");
    }

    /** A short, stable name for the shape, used in directory names: 16 hex digits of a sha256 over every field. */
    public String key() {
        String text = String.join("\n", image, backend, kvm ? "kvm" : "emulated", Integer.toString(vcpus),
                Integer.toString(memoryMib), kernel, bootArgs, agentVersion, bangerVersion);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether a snapshot of this shape serves a create of {@code vcpus} and {@code memoryMib} on {@code backend}. */
    public boolean sized(String backendName, int cpus, int memory) {
        return backend.equals(backendName) && vcpus == cpus && memoryMib == memory;
    }

    @Override
    public String toString() {
        return image + " (" + vcpus + " vCPU, " + memoryMib + " MiB, " + backend + ")";
    }
}
