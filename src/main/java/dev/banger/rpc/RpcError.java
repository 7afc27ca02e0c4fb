package dev.banger.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.banger.model.ErrorKind;

/**
 * The {@code error} member of a JSON-RPC response. {@code data.kind} is the stable machine-readable
 * class of the failure; {@code data.field} names the offending parameter when there is one.
 */
public record RpcError(int code, String message, Data data) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(String kind, String field) {}

    public static RpcError of(ErrorKind kind, String message) {
        return new RpcError(RpcErrorCodes.forKind(kind), message, new Data(kind.wireName(), null));
    }

    public static RpcError of(int code, ErrorKind kind, String message, String field) {
        return new RpcError(code, message, new Data(kind.wireName(), field));
    }

    public ErrorKind kind() {
        return data == null ? ErrorKind.INTERNAL : ErrorKind.fromWireName(data.kind());
    }
}
