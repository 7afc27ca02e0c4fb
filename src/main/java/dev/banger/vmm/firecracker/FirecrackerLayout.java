package dev.banger.vmm.firecracker;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where one Firecracker machine keeps its files inside the VM directory. Pure path arithmetic, so
 * a later daemon finds the same sockets and logs from the VM directory alone. Immutable value.
 *
 * @param vmDir the VM's directory
 */
public record FirecrackerLayout(Path vmDir) {
    public FirecrackerLayout {
        Objects.requireNonNull(vmDir, "vmDir");
        vmDir = vmDir.toAbsolutePath().normalize();
    }

    /** The REST API socket ({@code --api-sock}). */
    public Path apiSocket() {
        return vmDir.resolve("firecracker.sock");
    }

    /** The host side of the guest vsock device: the agent channel. */
    public Path vsockSocket() {
        return vmDir.resolve("firecracker.vsock");
    }

    /** Firecracker's stdout and stderr: early errors and the guest's serial console. */
    public Path consoleLog() {
        return vmDir.resolve("firecracker.log");
    }

    /** Firecracker's own log once {@code PUT /logger} configured it. */
    public Path vmmLog() {
        return vmDir.resolve("firecracker-vmm.log");
    }

    /** Firecracker's JSON metrics. */
    public Path metrics() {
        return vmDir.resolve("firecracker-metrics.json");
    }

    /** The logs worth showing when something fails, most telling first. */
    List<Path> logs() {
        return List.of(vmmLog(), consoleLog());
    }
}
