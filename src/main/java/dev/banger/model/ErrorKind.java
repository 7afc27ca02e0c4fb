package dev.banger.model;

/**
 * The stable, user-visible classes of failure. The wire name ({@link #wireName()}) travels in
 * JSON-RPC error data as {@code data.kind}; the CLI maps each kind to an exit code.
 */
public enum ErrorKind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    CONFLICT,
    PRECONDITION_FAILED,
    UNAUTHORIZED,
    INTERNAL;

    public String wireName() {
        return WireNames.of(this);
    }

    /** Parses a wire name; unknown names become {@link #INTERNAL} so old clients stay usable. */
    public static ErrorKind fromWireName(String wire) {
        for (ErrorKind kind : values()) {
            if (kind.wireName().equals(wire)) {
                return kind;
            }
        }
        return INTERNAL;
    }
}
