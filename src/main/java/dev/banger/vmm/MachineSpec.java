package dev.banger.vmm;

import dev.banger.host.disk.DiskFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a backend needs to start one machine, already decided by the create pipeline and
 * the capabilities: sizes, boot source, drives, NIC and agent channel. Backend-neutral: each
 * backend maps it onto its own configuration. Immutable value.
 *
 * @param name      VM name (already validated), used for process titles and log lines
 * @param vmDir     the VM's own directory: the backend puts its sockets and logs here
 * @param vcpus     virtual CPUs, at least 1
 * @param memoryMib guest memory in MiB, at least 128
 * @param kernel    uncompressed vmlinux (both backends boot it; QEMU also takes a bzImage)
 * @param initrd    initramfs, or null
 * @param bootArgs  the kernel command line, built by the guest-config builder
 * @param drives    block devices in guest order: the first is {@code /dev/vda}
 * @param nic       the guest NIC, or null for a machine without network
 * @param vsockCid  guest vsock context id (at least 3), used where the backend has vsock
 * @param agentPort guest vsock port of the agent
 */
public record MachineSpec(
        String name,
        Path vmDir,
        int vcpus,
        int memoryMib,
        Path kernel,
        Path initrd,
        String bootArgs,
        List<Drive> drives,
        Nic nic,
        long vsockCid,
        int agentPort) {

    /**
     * One block device.
     *
     * @param id       stable id within the machine, e.g. {@code root} or {@code work}
     * @param path     host file (or block device) backing it
     * @param format   how the file is laid out
     * @param readOnly whether the guest may write it
     * @param serial   the serial the guest reads from {@code /sys/block/vd*}{@code /serial}, or null for none
     *                 (QEMU; Firecracker has no drive serials)
     */
    public record Drive(String id, Path path, DiskFormat format, boolean readOnly, String serial) {
        public Drive {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(format, "format");
        }

        public Drive(String id, Path path, DiskFormat format, boolean readOnly) {
            this(id, path, format, readOnly, null);
        }
    }

    /**
     * The guest NIC, attached to a host TAP device.
     *
     * @param tap host TAP interface name
     * @param mac guest MAC, lower-case, colon-separated
     */
    public record Nic(String tap, String mac) {
        public Nic {
            Objects.requireNonNull(tap, "tap");
            Objects.requireNonNull(mac, "mac");
        }
    }

    public MachineSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vmDir, "vmDir");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(bootArgs, "bootArgs");
        drives = List.copyOf(drives);
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be at least 1, got " + vcpus);
        }
        if (memoryMib < 128) {
            throw new IllegalArgumentException("memory must be at least 128 MiB, got " + memoryMib);
        }
    }
}
