package dev.banger.host.net;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A failure of host networking: an invalid interface name, a bridge name taken by another kind of
 * device, a missing NAT backend, or an {@code ip}/{@code nft}/{@code iptables} command that failed
 * (the message then carries that command's argv, exit code and stderr). Immutable.
 */
public final class NetworkException extends BangerException {
    public NetworkException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public NetworkException(String message, Throwable cause) {
        super(ErrorKind.INTERNAL, message, cause);
    }
}
