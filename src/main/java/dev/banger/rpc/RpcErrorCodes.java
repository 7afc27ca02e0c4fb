package dev.banger.rpc;

import dev.banger.model.ErrorKind;

/**
 * JSON-RPC 2.0 error codes: the five the specification reserves, plus one application code per
 * {@link ErrorKind} from the range the specification leaves to servers.
 */
public final class RpcErrorCodes {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    public static final int NOT_FOUND = -32001;
    public static final int CONFLICT = -32002;
    public static final int PRECONDITION_FAILED = -32003;
    public static final int UNAUTHORIZED = -32004;

    private RpcErrorCodes() {}

    public static int forKind(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> INVALID_PARAMS;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case PRECONDITION_FAILED -> PRECONDITION_FAILED;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case INTERNAL -> INTERNAL_ERROR;
        };
    }
}
