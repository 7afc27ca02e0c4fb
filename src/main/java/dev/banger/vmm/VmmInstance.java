package dev.banger.vmm;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A started VMM process and where to reach what it exposes. Stored with the VM so that a later
 * daemon (after a restart) can stop it or check it. Immutable value.
 *
 * @param backend     {@link Vmm#name()} of the backend that started it
 * @param pid         the VMM process id
 * @param vmDir       the VM's directory (sockets, logs)
 * @param agentSocket host-side Unix socket of the agent channel: Firecracker's hybrid vsock
 *                    socket, or QEMU's virtio-serial (or vhost-vsock proxy) socket
 * @param agentTransport how {@code agentSocket} is spoken to
 * @param startTicks  when the process started, in clock ticks after the host booted
 *                    ({@code /proc/PID/stat} field 22), recorded by a backend that knows it, so a
 *                    later daemon tells its process from another that got the same pid; empty
 *                    when not known (an instance stored by an older banger, or found by scanning)
 * @param acceleration KVM or emulation, as the backend started it; null in records written before it
 *                    was kept, and for a process found on the host rather than started
 */
public record VmmInstance(String backend, long pid, Path vmDir, Path agentSocket, AgentTransport agentTransport,
        OptionalLong startTicks, Acceleration acceleration) {
    /** How the host reaches the guest agent through {@link #agentSocket()}. */
    public enum AgentTransport {
        /** Firecracker's host-side vsock socket: {@code CONNECT <port>} then {@code OK <port>}. */
        HYBRID_VSOCK,
        /** A plain stream socket carrying the agent protocol directly (QEMU virtio-serial). */
        UNIX_STREAM
    }

    public VmmInstance {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(vmDir, "vmDir");
        Objects.requireNonNull(agentSocket, "agentSocket");
        Objects.requireNonNull(agentTransport, "agentTransport");
        // Absent in a record stored before start times were kept.
        startTicks = startTicks == null ? OptionalLong.empty() : startTicks;
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
        if (startTicks.isPresent() && startTicks.getAsLong() < 0) {
            throw new IllegalArgumentException("startTicks must not be negative, got " + startTicks.getAsLong());
        }
    }

    /** An instance whose process start time and acceleration are not known (found on the host). */
    public VmmInstance(String backend, long pid, Path vmDir, Path agentSocket, AgentTransport agentTransport) {
        this(backend, pid, vmDir, agentSocket, agentTransport, OptionalLong.empty(), null);
    }
}
