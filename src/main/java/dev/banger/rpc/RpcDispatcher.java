package dev.banger.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one JSON-RPC 2.0 request line into its response line. Pure protocol: no sockets here, so
 * every malformed input can be tested directly. Thread-safe once constructed.
 */
public final class RpcDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RpcDispatcher.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper json = Json.mapper();
    private final Map<String, RpcMethod<?, ?>> methods;

    public RpcDispatcher(List<RpcMethod<?, ?>> methods) {
        Map<String, RpcMethod<?, ?>> byName = new LinkedHashMap<>();
        for (RpcMethod<?, ?> method : methods) {
            if (byName.put(method.name(), method) != null) {
                throw new IllegalArgumentException("RPC method registered twice: " + method.name());
            }
        }
        this.methods = Map.copyOf(byName);
    }

    public List<String> methodNames() {
        return methods.keySet().stream().sorted().toList();
    }

    /**
     * Answers one request line. Returns empty for a notification (a request without id), which
     * JSON-RPC says must not be answered.
     */
    public Optional<String> dispatch(String line, CallContext caller) {
        JsonNode request;
        try {
            request = json.readTree(line);
        } catch (JsonProcessingException e) {
            return Optional.of(write(errorResponse(NullNode.instance,
                    RpcError.of(RpcErrorCodes.PARSE_ERROR, ErrorKind.INVALID_ARGUMENT,
                            "parse error: " + e.getOriginalMessage(), null))));
        }
        if (request == null || request.isMissingNode()) {
            return Optional.of(write(errorResponse(NullNode.instance, invalidRequest("empty request"))));
        }
        if (request.isArray()) {
            return dispatchBatch((ArrayNode) request, caller);
        }
        return answer(request, caller).map(this::write);
    }

    /** An error response for a caller that is not allowed in; keeps the request id when readable. */
    public String refuse(String line, RpcError error) {
        JsonNode id = NullNode.instance;
        try {
            JsonNode request = json.readTree(line);
            if (request != null && request.isObject() && request.has("id")) {
                id = request.get("id");
            }
        } catch (JsonProcessingException e) {
            // The caller is refused whatever it sent; an unreadable id is answered as null.
        }
        return write(errorResponse(id, error));
    }

    /** An error response with a null id, for failures before a request could be read. */
    public String errorLine(RpcError error) {
        return write(errorResponse(NullNode.instance, error));
    }

    private Optional<String> dispatchBatch(ArrayNode batch, CallContext caller) {
        if (batch.isEmpty()) {
            return Optional.of(write(errorResponse(NullNode.instance, invalidRequest("empty batch"))));
        }
        ArrayNode responses = NODES.arrayNode();
        for (JsonNode request : batch) {
            answer(request, caller).ifPresent(responses::add);
        }
        return responses.isEmpty() ? Optional.empty() : Optional.of(write(responses));
    }

    private Optional<ObjectNode> answer(JsonNode request, CallContext caller) {
        if (!request.isObject()) {
            return Optional.of(errorResponse(NullNode.instance, invalidRequest("a request must be a JSON object")));
        }
        JsonNode idNode = request.get("id");
        boolean notification = idNode == null;
        JsonNode id = notification ? NullNode.instance : idNode;
        if (!id.isNull() && !id.isTextual() && !id.isIntegralNumber()) {
            return Optional.of(errorResponse(NullNode.instance, invalidRequest("id must be a string, an integer or null")));
        }
        if (!"2.0".equals(request.path("jsonrpc").textValue())) {
            return Optional.of(errorResponse(id, invalidRequest("jsonrpc must be \"2.0\"")));
        }
        JsonNode methodNode = request.get("method");
        if (methodNode == null || !methodNode.isTextual()) {
            return Optional.of(errorResponse(id, invalidRequest("method must be a string")));
        }
        JsonNode params = request.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            return Optional.of(errorResponse(id, RpcError.of(RpcErrorCodes.INVALID_PARAMS, ErrorKind.INVALID_ARGUMENT,
                    "params must be a JSON object of named parameters", "params")));
        }
        String name = methodNode.textValue();
        RpcMethod<?, ?> method = methods.get(name);
        ObjectNode response;
        if (method == null) {
            response = errorResponse(id, RpcError.of(RpcErrorCodes.METHOD_NOT_FOUND, ErrorKind.NOT_FOUND,
                    "unknown method '" + abbreviate(name) + "'", null));
        } else {
            response = invoke(method, id, params == null || params.isNull() ? NODES.objectNode() : params, caller);
        }
        return notification ? Optional.empty() : Optional.of(response);
    }

    private <P, R> ObjectNode invoke(RpcMethod<P, R> method, JsonNode id, JsonNode params, CallContext caller) {
        P decoded;
        try {
            decoded = json.treeToValue(params, method.paramsType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return errorResponse(id, paramsError(method, e));
        }
        try {
            R result = method.handler().handle(decoded, caller);
            ObjectNode response = envelope(id);
            response.set("result", result == null ? NullNode.instance : json.valueToTree(result));
            return response;
        } catch (RpcException e) {
            return errorResponse(id, e.toError());
        } catch (InvalidParameterException e) {
            // Handlers that validate params lazily (image.build.begin, image.register) refuse bad input too.
            return errorResponse(id, RpcError.of(RpcErrorCodes.INVALID_PARAMS, ErrorKind.INVALID_ARGUMENT,
                    "invalid params for " + method.name() + ": " + e.getMessage(), e.field()));
        } catch (BangerException e) {
            return errorResponse(id, RpcError.of(e.kind(), e.getMessage()));
        } catch (Exception e) {
            LOG.error("method {} failed", method.name(), e);
            return errorResponse(id, RpcError.of(ErrorKind.INTERNAL,
                    "internal error in " + method.name() + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }

    private RpcError paramsError(RpcMethod<?, ?> method, Exception e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return RpcError.of(RpcErrorCodes.INVALID_PARAMS, ErrorKind.INVALID_ARGUMENT,
                    "unknown parameter '" + abbreviate(unknown.getPropertyName()) + "' for " + method.name(),
                    abbreviate(unknown.getPropertyName()));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String expected = mismatch.getTargetType() == null ? "another type" : describe(mismatch.getTargetType());
            String what = mismatch instanceof InvalidFormatException
                    ? "has the wrong format; expected " + expected
                    : "has the wrong type or is missing; expected " + expected;
            return RpcError.of(RpcErrorCodes.INVALID_PARAMS, ErrorKind.INVALID_ARGUMENT,
                    "parameter '" + field + "' " + what, field.isEmpty() ? null : field);
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // A params record's compact constructor rejects bad values with IllegalArgumentException.
        String field = root instanceof InvalidParameterException invalid ? invalid.field() : null;
        return RpcError.of(RpcErrorCodes.INVALID_PARAMS, ErrorKind.INVALID_ARGUMENT,
                "invalid params for " + method.name() + ": " + root.getMessage(), field);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    private static RpcError invalidRequest(String message) {
        return RpcError.of(RpcErrorCodes.INVALID_REQUEST, ErrorKind.INVALID_ARGUMENT, "invalid request: " + message, null);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode node = NODES.objectNode();
        node.put("jsonrpc", "2.0");
        node.set("id", id);
        return node;
    }

    private ObjectNode errorResponse(JsonNode id, RpcError error) {
        ObjectNode node = envelope(id);
        node.set("error", json.valueToTree(error));
        return node;
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
