package dev.banger.agent;

import java.nio.file.Path;

/**
 * A Unix socket that carries the agent protocol directly: QEMU's host end of the guest's
 * virtio-serial port, or the agent's own {@code --listen-unix} test mode. Immutable.
 */
final class UnixSocketEndpoint implements AgentEndpoint {
    private final Path socket;

    UnixSocketEndpoint(Path socket) {
        this.socket = socket;
    }

    @Override
    public ChannelIo open(Deadline deadline) {
        return ChannelIo.connect(socket, deadline);
    }

    @Override
    public String describe() {
        return socket.toString();
    }
}
