package dev.banger.cli;

import dev.banger.model.ErrorKind;

/** Named process exit codes; scripts may rely on them, so they never change meaning. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An internal error, or a check that failed (doctor). */
    public static final int FAILURE = 1;
    /** Bad command line or invalid argument. */
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int CONFLICT = 4;
    public static final int PRECONDITION_FAILED = 5;
    public static final int UNAUTHORIZED = 6;
    /** bangerd is not running and could not be started, or went away. */
    public static final int DAEMON_UNAVAILABLE = 7;

    private ExitCodes() {}

    public static int forKind(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case PRECONDITION_FAILED -> PRECONDITION_FAILED;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case INTERNAL -> FAILURE;
        };
    }
}
