package dev.banger.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.banger.model.HealthReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Asks a guest agent for {@code GET /healthz}, and sends a restored guest its identity
 * ({@code POST /identity}), over an already-connected stream (Firecracker's hybrid vsock or a QEMU
 * virtio-serial socket), using HttpCore 5's HTTP/1.1 message writer and parser over that stream
 * ({@link AgentHttp}). When the guest answers with something that is not HTTP, or with
 * nothing, it falls back to the legacy line protocol ({@code PING} → {@code PONG}) that images
 * built before the agent understood, and reports a {@linkplain HealthReport#legacy() legacy}
 * report. Immutable and safe for concurrent use: every call opens its own connection. On the
 * serial transport the guest serves one request at a time, so concurrent calls there queue.
 */
public final class HttpAgentClient implements AgentClient {
    /** The vsock port the agent listens on unless an image says otherwise. */
    public static final int DEFAULT_VSOCK_PORT = 10000;

    /**
     * Share of the time left after sending the request that the HTTP answer may take before the
     * client assumes an old, silent agent and tries {@code PING}; the agent answers in milliseconds.
     */
    private static final double HTTP_SHARE = 0.5;
    private static final ObjectMapper JSON = JsonMapper.builder()
            // Images outlive host releases: a newer agent may add fields an older host ignores.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final AgentEndpoint endpoint;

    HttpAgentClient(AgentEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** A client for a Firecracker VM: {@code vsockSocket} is the VM's {@code vsock.uds_path}. */
    public static HttpAgentClient overHybridVsock(Path vsockSocket, int port) {
        return new HttpAgentClient(new HybridVsockEndpoint(vsockSocket, port));
    }

    /** A client for a socket that carries the protocol directly (QEMU virtio-serial, agent test mode). */
    public static HttpAgentClient overUnixSocket(Path socket) {
        return new HttpAgentClient(new UnixSocketEndpoint(socket));
    }

    @Override
    public HealthReport health(Duration deadline) {
        Deadline end = Deadline.after(deadline, endpoint.describe());
        String notHttp;
        try (ChannelIo io = endpoint.open(end)) {
            AgentHttp.Request request = AgentHttp.request("GET", "/healthz", "application/json", null, null);
            io.write(request.bytes(), end, "sending GET /healthz");
            if (!io.awaitData(end.portion(HTTP_SHARE))) {
                notHttp = "no answer to GET /healthz within half the deadline";
            } else {
                AgentHttp.Result result = AgentHttp.read(io, end, request, "GET /healthz", endpoint.describe());
                if (result instanceof AgentHttp.Answer answer) {
                    return report(answer);
                }
                notHttp = ((AgentHttp.NotHttp) result).why();
            }
        }
        return legacyPing(end, notHttp);
    }

    private HealthReport report(AgentHttp.Answer answer) {
        String text = answer.text();
        if (answer.code() != 200) {
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + endpoint.describe() + " answered GET /healthz with " + answer.code() + " "
                            + answer.reasonPhrase() + ": " + ChannelIo.printable(text));
        }
        try {
            return JSON.readValue(answer.body(), HealthJson.class).toReport();
        } catch (IOException | IllegalArgumentException e) {
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + endpoint.describe() + " sent a /healthz body that is not a health report ("
                            + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()) + "): "
                            + ChannelIo.printable(text), e);
        }
    }

    /**
     * Sends {@code POST /identity} and waits for the guest to have applied it. The agent sets the
     * files, hostname, network and sshd itself, and runs the image's apply program only to grow
     * /root or reload an sshd it could not hang up, bounded at 30 s, before it answers, so
     * {@code deadline} should leave room for that.
     */
    @Override
    public void applyIdentity(GuestIdentity identity, Duration deadline) {
        Deadline end = Deadline.after(deadline, endpoint.describe());
        AgentHttp.Request request = AgentHttp.request("POST", "/identity", "application/json", IdentityWire.CONTENT_TYPE,
                IdentityWire.body(identity));
        try (ChannelIo io = endpoint.open(end)) {
            io.write(request.bytes(), end, "sending POST /identity");
            AgentHttp.Result result = AgentHttp.read(io, end, request, "POST /identity", endpoint.describe());
            IdentityWire.check(result, identity, endpoint.describe());
        }
    }

    @Override
    public void sync(Duration deadline) {
        Deadline end = Deadline.after(deadline, endpoint.describe());
        AgentHttp.Request request = AgentHttp.request("POST", "/sync", "application/json", null, null);
        try (ChannelIo io = endpoint.open(end)) {
            io.write(request.bytes(), end, "sending POST /sync");
            String refused = switch (AgentHttp.read(io, end, request, "POST /sync", endpoint.describe())) {
                case AgentHttp.Answer answer when answer.code() == 200 -> null;
                case AgentHttp.Answer answer -> answer.code() + " " + answer.reasonPhrase() + " " + ChannelIo.printable(answer.text());
                case AgentHttp.NotHttp notHttp -> "no HTTP answer (" + notHttp.why() + "); its agent predates POST /sync";
            };
            if (refused != null) {
                throw new AgentException(AgentException.Reason.PROTOCOL, "agent at " + endpoint.describe()
                        + " did not sync the guest: " + refused);
            }
        }
    }

    private HealthReport legacyPing(Deadline end, String whyNotHttp) {
        String step = "waiting for PONG after " + whyNotHttp;
        try (ChannelIo io = endpoint.open(end)) {
            io.write("PING\n".getBytes(StandardCharsets.US_ASCII), end, "sending the legacy PING after " + whyNotHttp);
            StringBuilder partial = new StringBuilder();
            String line = io.readLine(64, end, step, partial);
            String answer = line != null ? line : partial.toString();
            if (answer.strip().equals("PONG")) {
                return HealthReport.legacyPong();
            }
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + endpoint.describe() + " speaks neither HTTP (" + whyNotHttp
                            + ") nor the legacy protocol (PING got " + (answer.isEmpty() ? "nothing" : ChannelIo.printable(answer)) + ")");
        }
    }
}
