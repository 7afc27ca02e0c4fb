package dev.banger.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression found by the RPC fuzzer: handlers that validate their params lazily
 * ({@code image.build.begin}, {@code image.register}) threw {@link InvalidParameterException},
 * which was answered as an internal error (-32603) instead of invalid params.
 */
class RpcDispatcherLazyValidationTest {
    record SizeParams(String size) {}

    private final RpcDispatcher dispatcher = new RpcDispatcher(List.of(RpcMethod.of("image.build.begin", SizeParams.class,
            (p, c) -> {
                throw new InvalidParameterException("size", "'" + p.size() + "' is not a size");
            })));

    @Test
    void invalidParameterThrownByAHandlerIsInvalidParamsNamingTheField() throws Exception {
        String line = dispatcher.dispatch("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"image.build.begin\",\"params\":{\"size\":\"-1G\"}}",
                new CallContext("root", "root")).orElseThrow();

        JsonNode error = Json.mapper().readTree(line).get("error");
        assertThat(error.get("code").intValue()).isEqualTo(RpcErrorCodes.INVALID_PARAMS);
        assertThat(error.get("message").textValue()).isEqualTo("invalid params for image.build.begin: size: '-1G' is not a size");
        assertThat(error.path("data").path("kind").textValue()).isEqualTo("invalid-argument");
        assertThat(error.path("data").path("field").textValue()).isEqualTo("size");
    }
}
