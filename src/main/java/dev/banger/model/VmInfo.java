package dev.banger.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code vm.show}, {@code vm.list} and the lifecycle methods return about one VM: the stored
 * VM plus where it lives on the host. Immutable value; host-side fields are {@code null} when
 * they do not apply (no TAP while stopped, no pid unless running).
 *
 * @param name      VM name
 * @param image     image it was made from
 * @param state     where it is in its life
 * @param vcpus     virtual CPUs
 * @param memoryMib guest memory in MiB
 * @param diskBytes size of the {@code /root} work disk
 * @param ip        guest IPv4 address
 * @param mac       guest MAC
 * @param vsockCid  guest vsock context id
 * @param dnsName   {@code <name>.<domain>}, answered by the daemon's DNS server
 * @param vmm       backend: {@code qemu} or {@code firecracker}
 * @param acceleration how its running machine executes guest code: {@code kvm}, or {@code tcg: KVM cannot
 *                  run a guest here: <reason>}; null when it is not running or the record predates it
 * @param pid       VMM process id while running, else null
 * @param tap       host TAP device while running, else null
 * @param rootDisk  how the root disk was cloned, e.g. {@code qcow2-overlay}, or null
 * @param vmDir     the VM's host directory (disks, console log, sockets)
 * @param createdAt when it was created
 * @param updatedAt when its record last changed
 * @param ports     its published ports ({@code vm create --publish}, {@code vm port add}); installed while it runs
 * @param shares    host directories it sees ({@code vm share}); empty when none
 */
public record VmInfo(
        String name,
        String image,
        VmState state,
        int vcpus,
        int memoryMib,
        long diskBytes,
        String ip,
        String mac,
        long vsockCid,
        String dnsName,
        String vmm,
        String acceleration,
        Long pid,
        String tap,
        String rootDisk,
        String vmDir,
        Instant createdAt,
        Instant updatedAt,
        List<PortForward> ports,
        List<Share> shares) {
    public VmInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        ports = ports == null ? List.of() : List.copyOf(ports);
        shares = shares == null ? List.of() : List.copyOf(shares);
    }

    /** A VM that publishes no ports and sees no shares. */
    public VmInfo(String name, String image, VmState state, int vcpus, int memoryMib, long diskBytes, String ip, String mac,
            long vsockCid, String dnsName, String vmm, String acceleration, Long pid, String tap, String rootDisk, String vmDir,
            Instant createdAt, Instant updatedAt) {
        this(name, image, state, vcpus, memoryMib, diskBytes, ip, mac, vsockCid, dnsName, vmm, acceleration, pid, tap, rootDisk,
                vmDir, createdAt, updatedAt, List.of(), List.of());
    }
}
