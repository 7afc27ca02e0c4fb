package dev.banger.rpc;

import java.util.Objects;

/**
 * One named RPC method: the record its params decode into and the handler that answers. Methods
 * without params use {@link NoParams}. Handlers run on the connection's virtual thread and must
 * be safe for concurrent use.
 */
public record RpcMethod<P, R>(String name, Class<P> paramsType, Handler<P, R> handler) {
    @FunctionalInterface
    public interface Handler<P, R> {
        R handle(P params, CallContext context) throws Exception;
    }

    /** Params of a method that takes none; any member sent is rejected as unknown. */
    public record NoParams() {}

    public RpcMethod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(paramsType, "paramsType");
        Objects.requireNonNull(handler, "handler");
        if (!name.matches("[a-z][a-zA-Z]*(\\.[a-z][a-zA-Z]*)+")) {
            throw new IllegalArgumentException("RPC method names are dotted lower-camel words: " + name);
        }
    }

    public static <P, R> RpcMethod<P, R> of(String name, Class<P> paramsType, Handler<P, R> handler) {
        return new RpcMethod<>(name, paramsType, handler);
    }

    public static <R> RpcMethod<NoParams, R> withoutParams(String name, java.util.function.Function<CallContext, R> handler) {
        return new RpcMethod<>(name, NoParams.class, (params, context) -> handler.apply(context));
    }
}
