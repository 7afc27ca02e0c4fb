package dev.banger.model;

/** A port forward that cannot be: a malformed {@code --publish} spec or a value out of range. Always {@link ErrorKind#INVALID_ARGUMENT}. */
public final class PortSpecException extends BangerException {
    public PortSpecException(String message) {
        super(ErrorKind.INVALID_ARGUMENT, message);
    }
}
