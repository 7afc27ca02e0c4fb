package dev.banger.vmm.firecracker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a directly launched Firecracker keeps its files inside the VM directory; it sees the host's
 * paths as they are. Pure path arithmetic, so a later daemon finds the same sockets and logs from
 * the VM directory alone. Immutable value.
 *
 * @param vmDir the VM's directory
 */
public record FirecrackerLayout(Path vmDir) implements FirecrackerPaths {
    public FirecrackerLayout {
        Objects.requireNonNull(vmDir, "vmDir");
        vmDir = vmDir.toAbsolutePath().normalize();
    }

    /** The REST API socket ({@code --api-sock}). */
    @Override
    public Path apiSocket() {
        return vmDir.resolve("firecracker.sock");
    }

    @Override
    public Path vsockSocket() {
        return vmDir.resolve("firecracker.vsock");
    }

    @Override
    public Path consoleLog() {
        return vmDir.resolve("firecracker.log");
    }

    @Override
    public Path vmmLog() {
        return vmDir.resolve("firecracker-vmm.log");
    }

    @Override
    public Path metrics() {
        return vmDir.resolve("firecracker-metrics.json");
    }

    @Override
    public String seenByFirecracker(Path hostPath) {
        return hostPath.toString();
    }
}
