package dev.banger.host.net;

import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;

/**
 * Whether the host can give a port to a forward: nothing listens on it and its address is one of
 * the host's. A forward's DNAT would silently take connections meant for a program already
 * listening there, so publishing such a port is refused instead. Implementations are thread-safe.
 */
@FunctionalInterface
public interface PortProbe {
    /**
     * Refuses the forward's host side: {@link ErrorKind#CONFLICT} when a socket holds it,
     * {@link ErrorKind#INVALID_ARGUMENT} when its address is not the host's.
     */
    void requireFree(PortForward forward);

    /**
     * Binds the address and port with the forward's protocol and lets go at once: a listener, or
     * a socket bound there, makes the bind fail (connections merely in TIME_WAIT do not, since
     * {@code SO_REUSEADDR} is set). Runs in the caller's network namespace.
     */
    PortProbe BIND = forward -> {
        InetSocketAddress address = new InetSocketAddress(forward.hostAddress(), forward.hostPort());
        try (NetworkChannel channel = forward.protocol().equals("udp") ? DatagramChannel.open() : ServerSocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address);
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("assign requested address")) {
                throw new NetworkException(ErrorKind.INVALID_ARGUMENT, "host address " + forward.hostAddress()
                        + " is not an address of this host: publish on 127.0.0.1 (the default), on one of the addresses"
                        + " 'ip -4 addr' lists, or on 0.0.0.0 for all of them");
            }
            throw new NetworkException(ErrorKind.CONFLICT, "host port " + forward.hostSide() + " is in use on this host (" + why
                    + "): stop the program listening there ('ss -lntup' names it) or choose another host port");
        } catch (IOException e) {
            throw new NetworkException(ErrorKind.CONFLICT, "cannot check host port " + forward.hostSide() + ": " + e.getMessage());
        }
    };
}
