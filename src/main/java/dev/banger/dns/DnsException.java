package dev.banger.dns;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * The guest DNS server cannot be set up: bad settings ({@link ErrorKind#INVALID_ARGUMENT}) or a
 * socket that cannot be bound ({@link ErrorKind#PRECONDITION_FAILED}). Answering queries never
 * throws it: a query that cannot be answered gets a DNS error code instead. Immutable.
 */
public final class DnsException extends BangerException {
    DnsException(ErrorKind kind, String message) {
        super(kind, message);
    }

    DnsException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
