package dev.banger.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A VM as the daemon records it. Immutable value.
 *
 * @param name        unique name matching {@link #NAME_PATTERN}; also the guest's hostname
 * @param image       name of the image it was created from
 * @param state       where it is in its life
 * @param vcpus       virtual CPUs
 * @param memoryMib   guest memory in MiB
 * @param diskBytes   size of the persistent work disk ({@code /root}) in bytes
 * @param network     its IP, MAC and vsock CID
 * @param vmm         the VMM backend that runs it, e.g. {@code firecracker} or {@code qemu}
 * @param pid         the VMM process id while one is believed to run, else {@code null}
 * @param createdAt   when the row was created
 * @param updatedAt   when the row last changed
 */
public record Vm(
        String name,
        String image,
        VmState state,
        int vcpus,
        int memoryMib,
        long diskBytes,
        NetworkAllocation network,
        String vmm,
        Long pid,
        Instant createdAt,
        Instant updatedAt) {

    /** Valid VM names: a DNS label, lower-case, at most 63 characters. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Vm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(vmm, "vmm");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public static boolean isValidName(String name) {
        return name != null && NAME_PATTERN.matcher(name).matches();
    }
}
