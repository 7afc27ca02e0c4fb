package dev.banger.vmm.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a QEMU machine keeps its sockets, log and pid file inside the VM directory. The names are
 * fixed so that a later daemon finds them from the stored VM directory alone. Immutable value.
 *
 * @param vmDir the VM's directory, absolute
 */
public record QemuFiles(Path vmDir) {
    public QemuFiles {
        Objects.requireNonNull(vmDir, "vmDir");
        vmDir = vmDir.toAbsolutePath().normalize();
    }

    /** Host end of the guest agent's virtio-serial port. */
    public Path agentSocket() {
        return vmDir.resolve("agent.sock");
    }

    /** The QMP control socket. */
    public Path qmpSocket() {
        return vmDir.resolve("qmp.sock");
    }

    /** The guest's serial console. */
    public Path consoleLog() {
        return vmDir.resolve("console.log");
    }

    /**
     * The guest's memory of a machine started to be saved ({@link QemuVmm#startSavable}): a sparse
     * file QEMU maps shared, so that the guest's pages are in it when the machine is saved.
     */
    public Path memoryFile() {
        return vmDir.resolve("memory");
    }

    /** Written by QEMU once it has daemonised; holds the pid of the process that runs the guest. */
    public Path pidFile() {
        return vmDir.resolve("qemu.pid");
    }
}
