package dev.banger.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Firecracker's host side of a guest vsock: a Unix socket on which the host writes
 * {@code CONNECT <port>\n} and Firecracker answers {@code OK <host port>\n} once the guest accepted,
 * or closes the connection when nothing listens on that port. Immutable.
 */
final class HybridVsockEndpoint implements AgentEndpoint {
    private static final Pattern OK_LINE = Pattern.compile("OK [0-9]{1,10}");
    private static final int MAX_HANDSHAKE_LINE = 64;

    private final Path socket;
    private final int port;

    HybridVsockEndpoint(Path socket, int port) {
        if (port < 0) {
            throw new IllegalArgumentException("vsock port must not be negative, got " + port);
        }
        this.socket = socket;
        this.port = port;
    }

    @Override
    public ChannelIo open(Deadline deadline) {
        ChannelIo io = ChannelIo.connect(socket, deadline);
        try {
            String step = "waiting for Firecracker's answer to CONNECT " + port;
            io.write(("CONNECT " + Integer.toUnsignedString(port) + "\n").getBytes(StandardCharsets.US_ASCII),
                    deadline, "sending CONNECT " + port);
            StringBuilder partial = new StringBuilder();
            String line = io.readLine(MAX_HANDSHAKE_LINE, deadline, step, partial);
            if (line == null) {
                throw new AgentException(AgentException.Reason.HANDSHAKE_REFUSED,
                        "vsock handshake refused at " + socket + ": the connection closed after CONNECT " + port
                                + " (received " + (partial.isEmpty() ? "nothing" : ChannelIo.printable(partial.toString()))
                                + "); nothing in the guest listens on vsock port " + port + " yet");
            }
            if (!OK_LINE.matcher(line).matches()) {
                throw new AgentException(AgentException.Reason.HANDSHAKE_REFUSED,
                        "vsock handshake refused at " + socket + ": expected 'OK <port>' after CONNECT " + port
                                + ", received " + ChannelIo.printable(line));
            }
            return io;
        } catch (RuntimeException e) {
            io.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return socket + " (vsock port " + port + ")";
    }
}
