package dev.banger.rpc;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A failure at the RPC layer. On the server, handlers throw it to answer with a specific code
 * and field; on the client, it carries the daemon's error back to the caller.
 */
public class RpcException extends BangerException {
    private final int code;
    private final String field;

    public RpcException(int code, ErrorKind kind, String message, String field) {
        super(kind, message);
        this.code = code;
        this.field = field;
    }

    public static RpcException invalidParams(String field, String message) {
        return new RpcException(RpcErrorCodes.INVALID_PARAMS, ErrorKind.INVALID_ARGUMENT, message, field);
    }

    public static RpcException from(RpcError error) {
        return new RpcException(error.code(), error.kind(), error.message(),
                error.data() == null ? null : error.data().field());
    }

    public int code() {
        return code;
    }

    /** The parameter the error is about, or {@code null}. */
    public String field() {
        return field;
    }

    public RpcError toError() {
        return RpcError.of(code, kind(), getMessage(), field);
    }
}
