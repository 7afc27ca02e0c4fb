package dev.banger.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.banger.model.HealthReport;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * Asks a guest agent for {@code GET /healthz} over an already-connected stream (Firecracker's
 * hybrid vsock or a QEMU virtio-serial socket), using HttpCore 5's HTTP/1.1 message writer and
 * parser over that stream. When the guest answers with something that is not HTTP, or with
 * nothing, it falls back to the legacy line protocol ({@code PING} → {@code PONG}) that images
 * built before the agent understood, and reports a {@linkplain HealthReport#legacy() legacy}
 * report. Immutable and safe for concurrent use: every call opens its own connection. On the
 * serial transport the guest serves one request at a time, so concurrent calls there queue.
 */
public final class HttpAgentClient implements AgentClient {
    /** The vsock port the agent listens on unless an image says otherwise. */
    public static final int DEFAULT_VSOCK_PORT = 10000;

    private static final int MAX_LINE = 8192;
    private static final int MAX_BODY = 1024 * 1024;
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
            io.write(requestBytes(), end, "sending GET /healthz");
            if (!io.awaitData(end.portion(HTTP_SHARE))) {
                notHttp = "no answer to GET /healthz within half the deadline";
            } else {
                notHttp = null;
                Exchange exchange = readResponse(io, end);
                if (exchange.report != null) {
                    return exchange.report;
                }
                notHttp = exchange.notHttp;
            }
        }
        return legacyPing(end, notHttp);
    }

    private static byte[] requestBytes() {
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", "/healthz");
        request.addHeader(HttpHeaders.HOST, "banger-agent");
        request.addHeader(HttpHeaders.ACCEPT, "application/json");
        request.addHeader(HttpHeaders.CONNECTION, "close");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SessionOutputBufferImpl buffer = new SessionOutputBufferImpl(1024);
        try {
            new DefaultHttpRequestWriter().write(request, buffer, out);
            buffer.flush(out);
        } catch (IOException | HttpException e) {
            throw new IllegalStateException("cannot format a constant request", e);
        }
        return out.toByteArray();
    }

    /** Either a report, or why the answer was not HTTP at all (so the legacy protocol may apply). */
    private record Exchange(HealthReport report, String notHttp) {}

    private Exchange readResponse(ChannelIo io, Deadline end) {
        String step = "reading the answer to GET /healthz";
        Capture raw = new Capture(io.inputStream(end, step));
        Http1Config config = Http1Config.custom().setMaxLineLength(MAX_LINE).setMaxHeaderCount(100).build();
        SessionInputBufferImpl buffer = new SessionInputBufferImpl(8192, MAX_LINE);
        ClassicHttpResponse response;
        try {
            response = new DefaultHttpResponseParser(config).parse(buffer, raw);
        } catch (ChannelIo.AgentIoException e) {
            if (e.agentException().reason() != AgentException.Reason.UNREACHABLE) {
                throw e.agentException();
            }
            // An old agent that hangs up on an unknown line leaves the request unread: the kernel resets.
            Throwable ioFailure = e.agentException().getCause();
            return new Exchange(null, "connection failed before an HTTP answer to GET /healthz ("
                    + (ioFailure != null ? ioFailure.getMessage() : e.getMessage()) + ")");
        } catch (IOException | HttpException e) {
            return new Exchange(null, "answer to GET /healthz is not HTTP: " + ChannelIo.printable(raw.captured()));
        }
        if (response == null) {
            return new Exchange(null, "connection closed without answering GET /healthz");
        }
        byte[] body = readBody(response, buffer, raw, step);
        String text = new String(body, StandardCharsets.UTF_8);
        if (response.getCode() != 200) {
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + endpoint.describe() + " answered GET /healthz with " + response.getCode() + " "
                            + response.getReasonPhrase() + ": " + ChannelIo.printable(text));
        }
        try {
            return new Exchange(JSON.readValue(body, HealthJson.class).toReport(), null);
        } catch (IOException | IllegalArgumentException e) {
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + endpoint.describe() + " sent a /healthz body that is not a health report ("
                            + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()) + "): "
                            + ChannelIo.printable(text), e);
        }
    }

    private byte[] readBody(ClassicHttpResponse response, SessionInputBufferImpl buffer, InputStream raw, String step) {
        try {
            Header encoding = response.getFirstHeader(HttpHeaders.TRANSFER_ENCODING);
            Header length = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
            InputStream body;
            if (encoding != null && "chunked".equalsIgnoreCase(encoding.getValue().trim())) {
                body = new ChunkedInputStream(buffer, raw);
            } else if (length != null) {
                long declared = parseLength(length.getValue());
                body = new ContentLengthInputStream(buffer, raw, Math.min(declared, MAX_BODY + 1L));
            } else {
                body = new BufferedRest(buffer, raw);  // Connection: close delimits the body
            }
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new AgentException(AgentException.Reason.PROTOCOL,
                        "agent at " + endpoint.describe() + " sent a /healthz body over " + MAX_BODY + " bytes");
            }
            return bytes;
        } catch (ChannelIo.AgentIoException e) {
            throw e.agentException();
        } catch (IOException e) {
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + endpoint.describe() + " sent a malformed body while " + step + ": " + e.getMessage(), e);
        }
    }

    private long parseLength(String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new AgentException(AgentException.Reason.PROTOCOL,
                "agent at " + endpoint.describe() + " sent an invalid Content-Length " + ChannelIo.printable(value));
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

    /** Remembers the first bytes that went through, to quote a non-HTTP answer in errors. */
    private static final class Capture extends FilterInputStream {
        private final byte[] first = new byte[120];
        private int count;

        Capture(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && count < first.length) {
                first[count++] = (byte) b;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && count < first.length) {
                int take = Math.min(n, first.length - count);
                System.arraycopy(b, off, first, count, take);
                count += take;
            }
            return n;
        }

        String captured() {
            return ChannelIo.latin1(Arrays.copyOf(first, count), count);
        }
    }

    /** The parser's buffered bytes, then the rest of the stream up to its end. */
    private static final class BufferedRest extends InputStream {
        private final SessionInputBufferImpl buffer;
        private final InputStream in;

        BufferedRest(SessionInputBufferImpl buffer, InputStream in) {
            this.buffer = buffer;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return buffer.read(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return buffer.read(b, off, len, in);
        }
    }
}
