package dev.banger.capability;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a capability may know about the VM it serves. Immutable value.
 *
 * @param name     VM name (validated), also its hostname
 * @param ip       guest IPv4 address
 * @param prefix   prefix length of the guest network
 * @param vmDir    the VM's host directory
 * @param workDisk the VM's work disk file
 */
public record VmContext(String name, String ip, int prefix, Path vmDir, Path workDisk) {
    public VmContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(vmDir, "vmDir");
    }
}
