package dev.banger.model;

import java.util.List;
import java.util.Objects;

/**
 * What {@code vm.port.list}, {@code vm.port.add} and {@code vm.port.rm} answer: a VM's published
 * ports, and whether they are in the host's firewall now. Immutable value.
 *
 * @param name   the VM
 * @param ip     the guest address the forwards lead to
 * @param active whether the VM runs, so its forwards are installed; a stopped VM's are only recorded
 * @param ports  its forwards, by host port
 */
public record VmPorts(String name, String ip, boolean active, List<PortForward> ports) {
    public VmPorts {
        Objects.requireNonNull(name, "name");
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
