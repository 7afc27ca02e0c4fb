package dev.banger.vmm.firecracker;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one Firecracker process's own files are on the host, and how Firecracker itself must name
 * them in its API calls: the same absolute path for a direct launch ({@link FirecrackerLayout}),
 * a path relative to the chroot for a jailed one ({@link JailLayout}). {@link FirecrackerPlan}
 * takes its paths from here, so one plan serves both launches. Implementations are immutable values.
 */
public sealed interface FirecrackerPaths permits FirecrackerLayout, JailLayout {
    /** The VM's directory. */
    Path vmDir();

    /** The REST API socket on the host. */
    Path apiSocket();

    /** The host side of the guest vsock device: the agent channel. */
    Path vsockSocket();

    /** Firecracker's stdout and stderr (early errors and the guest's serial console). */
    Path consoleLog();

    /** Firecracker's own log once {@code PUT /logger} configured it. */
    Path vmmLog();

    /** Firecracker's JSON metrics. */
    Path metrics();

    /**
     * How Firecracker names {@code hostPath}, which must be one of the files it can reach.
     *
     * @throws IllegalArgumentException when Firecracker cannot reach {@code hostPath}
     */
    String seenByFirecracker(Path hostPath);

    /**
     * Present from just before a launch until the guest runs ({@code InstanceStart}, or
     * {@code PATCH /vm Resumed} after a snapshot load; its content says which, see
     * {@link PendingStart}): a machine with it cannot take Ctrl-Alt-Del (never booted, or its vCPUs
     * paused since the load), so a stop ends it at once. Absent for a machine started by a banger
     * that did not write it, which therefore still gets Ctrl-Alt-Del. In the VM directory, outside
     * any jail, where no guest can write.
     */
    default Path preBootMarker() {
        return vmDir().resolve("firecracker.pre-boot");
    }

    /** The logs worth showing when something fails, most telling first. */
    default List<Path> logs() {
        return List.of(vmmLog(), consoleLog());
    }
}
