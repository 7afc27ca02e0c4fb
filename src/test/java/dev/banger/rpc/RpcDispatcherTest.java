package dev.banger.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RpcDispatcherTest {
    record EchoParams(String name, int count) {
        EchoParams {
            if (name == null) {
                throw new InvalidParameterException("name", "is required");
            }
        }
    }

    private final AtomicInteger calls = new AtomicInteger();
    private final RpcDispatcher dispatcher = new RpcDispatcher(List.of(
            RpcMethod.of("test.echo", EchoParams.class, (p, c) -> {
                calls.incrementAndGet();
                return p;
            }),
            RpcMethod.withoutParams("test.whoami", c -> c.user()),
            RpcMethod.withoutParams("test.crash", c -> {
                throw new IllegalStateException("boom");
            })));

    private JsonNode call(String line) throws Exception {
        return Json.mapper().readTree(dispatcher.dispatch(line, new CallContext("alice", "banger")).orElseThrow());
    }

    @Test
    void validRequestReturnsResultWithTheSameId() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"test.echo\",\"params\":{\"name\":\"x\",\"count\":2}}");
        assertThat(response.get("id").asInt()).isEqualTo(7);
        assertThat(response.get("result").get("name").asText()).isEqualTo("x");
        assertThat(response.get("result").get("count").asInt()).isEqualTo(2);
        assertThat(response.has("error")).isFalse();
    }

    @Test
    void malformedJsonIsAParseErrorWithNullId() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":1,");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(response.get("id").isNull()).isTrue();
        assertThat(response.get("error").get("data").get("kind").asText()).isEqualTo("invalid-argument");
    }

    @Test
    void unknownMethodIsMethodNotFound() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"vm.explode\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(response.get("error").get("message").asText()).contains("vm.explode");
        assertThat(response.get("id").asText()).isEqualTo("a");
    }

    @Test
    void wrongParamTypeIsInvalidParamsNamingTheField() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\",\"params\":{\"name\":\"x\",\"count\":\"many\"}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(response.get("error").get("data").get("field").asText()).isEqualTo("count");
        assertThat(response.get("error").get("message").asText()).contains("count");
        assertThat(calls).hasValue(0);
    }

    @Test
    void unknownParamIsInvalidParamsNamingTheField() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\",\"params\":{\"name\":\"x\",\"count\":1,\"colour\":1}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(response.get("error").get("data").get("field").asText()).isEqualTo("colour");
    }

    @Test
    void missingRequiredParamIsInvalidParamsNamingTheField() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\",\"params\":{\"count\":1}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(response.get("error").get("data").get("field").asText()).isEqualTo("name");
    }

    @Test
    void paramsThatAreNotAnObjectAreRejected() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\",\"params\":[1,2]}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(response.get("error").get("data").get("field").asText()).isEqualTo("params");
    }

    @Test
    void requestWithoutJsonrpcVersionIsInvalidRequest() throws Exception {
        JsonNode response = call("{\"id\":1,\"method\":\"test.whoami\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void nonObjectRequestIsInvalidRequest() throws Exception {
        assertThat(call("42").get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(call("\"hello\"").get("error").get("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void notificationRunsButIsNotAnswered() {
        assertThat(dispatcher.dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"params\":{\"name\":\"n\",\"count\":0}}",
                new CallContext("root", "root"))).isEmpty();
        assertThat(calls).hasValue(1);
    }

    @Test
    void batchIsAnsweredElementByElement() throws Exception {
        JsonNode response = call("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.whoami\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope.nope\"}]");
        assertThat(response.isArray()).isTrue();
        assertThat(response.get(0).get("result").asText()).isEqualTo("alice");
        assertThat(response.get(1).get("error").get("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void handlerCrashIsAnInternalErrorAndNamesTheMethod() throws Exception {
        JsonNode response = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.crash\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32603);
        assertThat(response.get("error").get("data").get("kind").asText()).isEqualTo("internal");
        assertThat(response.get("error").get("message").asText()).contains("test.crash").contains("boom");
    }

    @Test
    void bangerExceptionKeepsItsKind() throws Exception {
        RpcDispatcher notFound = new RpcDispatcher(List.of(RpcMethod.withoutParams("vm.show", c -> {
            throw new RpcException(RpcErrorCodes.NOT_FOUND, dev.banger.model.ErrorKind.NOT_FOUND, "no VM named dev1", null);
        })));
        JsonNode response = Json.mapper().readTree(notFound.dispatch(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"vm.show\"}", CallContext.INTERNAL).orElseThrow());
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32001);
        assertThat(response.get("error").get("data").get("kind").asText()).isEqualTo("not-found");
    }
}
