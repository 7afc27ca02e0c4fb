package dev.banger.rpc;

/**
 * Thrown by a params record's compact constructor when a value is present but unacceptable, so
 * the error names the field (the dispatcher turns it into -32602 with {@code data.field}).
 */
public final class InvalidParameterException extends IllegalArgumentException {
    private final String field;

    public InvalidParameterException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
