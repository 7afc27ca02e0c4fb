package dev.banger.model;

/**
 * Base of every error banger reports on purpose. Each package has its own subclass (one error
 * type per module); the daemon turns any of them into a JSON-RPC error carrying {@link #kind()},
 * and anything else into {@link ErrorKind#INTERNAL}.
 */
public abstract class BangerException extends RuntimeException {
    private final ErrorKind kind;

    protected BangerException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    protected BangerException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
