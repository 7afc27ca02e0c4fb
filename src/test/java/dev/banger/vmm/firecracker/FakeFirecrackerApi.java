package dev.banger.vmm.firecracker;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A stand-in for Firecracker's API server on a Unix socket. Every request is checked against the
 * project's reference of Firecracker's API ({@code docs/reference/firecracker-api.yaml}) with
 * Atlassian's validator, against the reference's boot-phase rules
 * ({@link BootPhaseRules}: configuration only before {@code InstanceStart}, Ctrl-Alt-Del only
 * after), and against the header rules of Firecracker's own HTTP parser (exact
 * {@code application/json}, a Content-Length body). A request that breaks the contract is recorded
 * as a violation and answered 400; otherwise it answers like Firecracker: 204, or 400 with
 * {@code fault_message} for a path told to refuse. It serves one machine: a 204 to the boot
 * action or to a snapshot load moves it past boot, and requests change what it knows of the
 * process ({@link BootPhaseRules.State}: fresh, booted, paused) until {@link #newProcess()}.
 * Thread-safe.
 */
final class FakeFirecrackerApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    record Received(String method, String path, JsonNode body) {
        @Override
        public String toString() {
            return method + " " + path + " " + body;
        }
    }

    private final Server server;
    private final OpenApiInteractionValidator validator;
    private final BootPhaseRules phases;
    /** Guards {@link #state}: a phase check and the change it may cause happen as one step. */
    private final Object phaseLock = new Object();
    private BootPhaseRules.State state = BootPhaseRules.State.NEW;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final Map<String, Runnable> actionHooks = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> requestHooks = new ConcurrentHashMap<>();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();

    private FakeFirecrackerApi(Document document, Path socket) {
        this.validator = document.validator();
        this.phases = document.phases();
        this.server = new Server();
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                answer(request, Content.Source.asString(request, StandardCharsets.UTF_8), response, callback);
                return true;
            }
        });
    }

    /** A parsed API document: what the validator and the phase rules need. */
    private record Document(OpenApiInteractionValidator validator, BootPhaseRules phases) {}

    /** Parsing a document takes about a second; one parse per document serves every test. */
    private static final Map<Path, Document> DOCUMENTS = new ConcurrentHashMap<>();

    /** Serves the API the project's reference describes on {@code socket}. */
    static FakeFirecrackerApi start(Path socket) throws Exception {
        return start(ApiDocument.reference(), socket);
    }

    /** Serves the API described by {@code specYaml} on {@code socket}. */
    private static FakeFirecrackerApi start(Path specYaml, Path socket) throws Exception {
        FakeFirecrackerApi api = new FakeFirecrackerApi(DOCUMENTS.computeIfAbsent(specYaml, FakeFirecrackerApi::document), socket);
        api.server.start();
        return api;
    }

    private static Document document(Path specYaml) {
        try {
            OpenApiInteractionValidator validator = OpenApiInteractionValidator
                    .createForInlineApiSpecification(Files.readString(specYaml))
                    // Firecracker rejects unknown fields (serde deny_unknown_fields); so does the fake,
                    // even for an object whose document leaves additionalProperties out.
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                            .build())
                    .build();
            return new Document(validator, BootPhaseRules.of(ApiDocument.parse(specYaml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers requests to {@code path} with 400 and this {@code fault_message}. */
    void refuse(String path, String faultMessage) {
        refusals.put(path, faultMessage);
    }

    /** Never answers requests to {@code path}, like a Firecracker that hangs. */
    void neverAnswer(String path) {
        silent.add(path);
    }

    /** Runs {@code hook} when a valid {@code PUT /actions} with this action type arrives. */
    void onAction(String actionType, Runnable hook) {
        actionHooks.put(actionType, hook);
    }

    /**
     * Runs {@code hook} with the body when a valid request to {@code path} arrives, before it is
     * answered (what Firecracker would do on disk, say); a hook that throws gets the request
     * answered 400 with the exception's message as {@code fault_message}.
     */
    void onRequest(String path, Consumer<JsonNode> hook) {
        requestHooks.put(path, hook);
    }

    /**
     * A fresh Firecracker process now serves this socket, so the machine is back before boot. A
     * test whose fake process exits and is started again calls it.
     */
    void newProcess() {
        synchronized (phaseLock) {
            state = BootPhaseRules.State.NEW;
        }
    }

    /** What the fake knows of its process now. */
    BootPhaseRules.State state() {
        synchronized (phaseLock) {
            return state;
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    private void answer(Request request, String body, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        JsonNode json = parse(body);
        received.add(new Received(method, path, json));

        List<String> problems = new ArrayList<>();
        SimpleRequest.Builder validated = new SimpleRequest.Builder(method, path);
        if (contentType != null) {
            validated.withContentType(contentType);
        }
        if (!body.isEmpty()) {
            validated.withBody(body);
        }
        ValidationReport report = validator.validateRequest(validated.build());
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() == ValidationReport.Level.ERROR) {
                problems.add(message.getKey() + ": " + message.getMessage());
            }
        }
        if (!body.isEmpty()) {
            // Firecracker's micro_http parses the media type exactly and needs a Content-Length body.
            if (!"application/json".equals(contentType)) {
                problems.add("Content-Type must be exactly application/json, got " + contentType);
            }
            if (request.getHeaders().get(HttpHeader.CONTENT_LENGTH) == null) {
                problems.add("body without Content-Length");
            }
        }
        // One step from the phase check to the boot it may cause, so concurrent requests see either side.
        synchronized (phaseLock) {
            if (problems.isEmpty()) {
                phases.refusal(method, path, json, state).ifPresent(problems::add);
            }
            if (!problems.isEmpty()) {
                violations.add(method + " " + path + " " + body + " -> " + problems);
                fault(response, callback, "contract violation: " + String.join("; ", problems));
                return;
            }
            String refusal = refusals.get(path);
            if (refusal != null) {
                fault(response, callback, refusal);
                return;
            }
            if (path.equals("/actions")) {
                Runnable hook = actionHooks.get(json.path("action_type").asText());
                if (hook != null) {
                    hook.run();
                }
            }
            Consumer<JsonNode> hook = requestHooks.get(path);
            if (hook != null) {
                try {
                    hook.accept(json);
                } catch (RuntimeException e) {
                    fault(response, callback, e.getMessage());
                    return;
                }
            }
            if (silent.contains(path)) {
                // Left unanswered; Jetty aborts it when the server stops.
                return;
            }
            state = phases.after(method, path, json, state);
        }
        response.setStatus(204);
        callback.succeeded();
    }

    private static void fault(Response response, Callback callback, String message) {
        response.setStatus(400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        String body = JsonNodeFactory.instance.objectNode().put("fault_message", message).toString();
        Content.Sink.write(response, true, body, callback);
    }

    private static JsonNode parse(String body) {
        if (body.isEmpty()) {
            return JsonNodeFactory.instance.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return JsonNodeFactory.instance.textNode(body);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the fake Firecracker API", e);
        }
    }
}
