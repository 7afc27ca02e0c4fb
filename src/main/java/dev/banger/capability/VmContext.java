package dev.banger.capability;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a capability may know about the VM it serves. Immutable value.
 *
 * @param name             VM name (validated), also its hostname
 * @param ip               guest IPv4 address
 * @param prefix           prefix length of the guest network
 * @param vmDir            the VM's host directory
 * @param workDisk         the VM's work disk file
 * @param mountsFromConfig whether the VM's image mounts the file systems its guest config lists
 *                         (its manifest's {@code mountsFromConfig}); an older image mounts {@code /root}
 *                         from its fstab and reads no {@code banger.mount=} word. Known where
 *                         capabilities contribute; the host-side calls ({@code prepare},
 *                         {@code awaitReady}, {@code teardown}) may see false and must not depend on it
 */
public record VmContext(String name, String ip, int prefix, Path vmDir, Path workDisk, boolean mountsFromConfig) {
    public VmContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(vmDir, "vmDir");
    }

    /** A VM whose image mounts {@code /root} from its fstab, as images built before {@code mountsFromConfig} do. */
    public VmContext(String name, String ip, int prefix, Path vmDir, Path workDisk) {
        this(name, ip, prefix, vmDir, workDisk, false);
    }
}
