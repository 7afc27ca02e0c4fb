package dev.banger.model;

/** A subnet that is not one: malformed text, a prefix out of range or host bits set. Always {@link ErrorKind#INVALID_ARGUMENT}. */
public final class InvalidSubnetException extends BangerException {
    public InvalidSubnetException(String message) {
        super(ErrorKind.INVALID_ARGUMENT, message);
    }
}
