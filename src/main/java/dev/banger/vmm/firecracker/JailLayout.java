package dev.banger.vmm.firecracker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a jailed Firecracker's files are. The jailer builds its chroot at
 * {@code <vmDir>/jail/<firecracker file name>/<id>/root}; Firecracker's API socket, vsock socket,
 * log and metrics live at the top of that root, and the kernel and drives are placed under
 * {@code boot/} and {@code drives/} by a {@link JailPlan}. Inside the jail every path is named
 * relative to the root ({@code /firecracker.sock}). The console log stays in the VM directory: it
 * is the stdout the jailer hands on, not a file Firecracker opens. Pure path arithmetic. Immutable value.
 *
 * @param vmDir        the VM's directory
 * @param execFileName the file name of the firecracker executable (the jailer names the jail after it)
 * @param id           the Firecracker instance id (the VM name)
 */
public record JailLayout(Path vmDir, String execFileName, String id) implements FirecrackerPaths {
    /** The API socket as the jailed Firecracker is told it ({@code --api-sock}). */
    static final String API_SOCKET_IN_JAIL = "/firecracker.sock";
    /** The directory in the VM directory handed to the jailer as {@code --chroot-base-dir}. */
    static final String CHROOT_BASE = "jail";

    public JailLayout {
        Objects.requireNonNull(vmDir, "vmDir");
        vmDir = vmDir.toAbsolutePath().normalize();
        FirecrackerCommandLine.requireInstanceId(id);
        Objects.requireNonNull(execFileName, "execFileName");
        if (execFileName.isEmpty() || execFileName.contains("/") || execFileName.equals(".") || execFileName.equals("..")) {
            throw new IllegalArgumentException("'" + execFileName + "' is not a file name");
        }
    }

    /** The directory handed to the jailer as {@code --chroot-base-dir}. */
    public Path chrootBase() {
        return vmDir.resolve(CHROOT_BASE);
    }

    /** The jail's root directory on the host. */
    public Path root() {
        return chrootBase().resolve(execFileName).resolve(id).resolve("root");
    }

    @Override
    public Path apiSocket() {
        return root().resolve(API_SOCKET_IN_JAIL.substring(1));
    }

    @Override
    public Path vsockSocket() {
        return root().resolve("firecracker.vsock");
    }

    @Override
    public Path consoleLog() {
        return new FirecrackerLayout(vmDir).consoleLog();
    }

    @Override
    public Path vmmLog() {
        return root().resolve("firecracker-vmm.log");
    }

    @Override
    public Path metrics() {
        return root().resolve("firecracker-metrics.json");
    }

    /** Where the kernel is placed in the jail. */
    Path kernel() {
        return root().resolve("boot/kernel");
    }

    /** Where the initrd is placed in the jail. */
    Path initrd() {
        return root().resolve("boot/initrd");
    }

    /** Where the drive with this (already validated) id is placed in the jail. */
    Path drive(String driveId) {
        return root().resolve("drives").resolve(driveId);
    }

    /** Where a snapshot's device state is in the jail: written there by a save, placed there for a restore. */
    Path snapshotState() {
        return root().resolve("snapshot/state");
    }

    /** Where a snapshot's guest memory is in the jail, beside {@link #snapshotState()}. */
    Path snapshotMemory() {
        return root().resolve("snapshot/memory");
    }

    @Override
    public String seenByFirecracker(Path hostPath) {
        Path normal = hostPath.toAbsolutePath().normalize();
        if (!normal.startsWith(root())) {
            throw new IllegalArgumentException(hostPath + " is outside the jail " + root());
        }
        return "/" + root().relativize(normal);
    }
}
