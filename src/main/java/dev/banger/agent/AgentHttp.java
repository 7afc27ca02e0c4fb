package dev.banger.agent;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
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
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * One HTTP/1.1 exchange with a guest agent over a {@link ChannelIo}: formats a request with
 * HttpCore 5's message writer and parses the answer with its response parser, bounded in size and
 * by the call's deadline. Stateless.
 */
final class AgentHttp {
    private static final int MAX_LINE = 8192;
    private static final int MAX_BODY = 1024 * 1024;
    /** The header that pairs an answer with its request. */
    static final String REQUEST_ID = "X-Request-Id";
    /** Abandoned probes are few (one per timed-out poll); more stale answers than this is a broken stream. */
    private static final int MAX_STALE_ANSWERS = 64;
    private static final Http1Config CONFIG = Http1Config.custom().setMaxLineLength(MAX_LINE).setMaxHeaderCount(100).build();
    private static final SecureRandom IDS = new SecureRandom();

    private AgentHttp() {}

    /** What came back: an HTTP answer, or a description of why it was not HTTP at all. */
    sealed interface Result permits Answer, NotHttp {}

    /** An HTTP answer with its whole body. */
    record Answer(int code, String reasonPhrase, byte[] body) implements Result {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The peer answered with something that is not HTTP, or with nothing. */
    record NotHttp(String why) implements Result {}

    /**
     * A request ready to send, and the id its answer carries back.
     *
     * @param bytes what goes on the wire
     * @param id    its {@value #REQUEST_ID} header
     */
    record Request(byte[] bytes, String id) {}

    /**
     * The bytes of {@code method path} with {@code Connection: close}, a fresh {@value #REQUEST_ID},
     * and a body when {@code body} is not null.
     */
    static Request request(String method, String path, String accept, String contentType, byte[] body) {
        byte[] random = new byte[12];
        IDS.nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, path);
        request.addHeader(HttpHeaders.HOST, "banger-agent");
        request.addHeader(REQUEST_ID, id);
        request.addHeader(HttpHeaders.ACCEPT, accept);
        request.addHeader(HttpHeaders.CONNECTION, "close");
        if (body != null) {
            request.addHeader(HttpHeaders.CONTENT_TYPE, contentType);
            request.addHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SessionOutputBufferImpl buffer = new SessionOutputBufferImpl(1024);
        try {
            new DefaultHttpRequestWriter().write(request, buffer, out);
            buffer.flush(out);
            if (body != null) {
                out.write(body);
            }
        } catch (IOException | HttpException e) {
            throw new IllegalStateException("cannot format a request in memory", e);
        }
        return new Request(out.toByteArray(), id);
    }

    /**
     * Reads the answer to {@code request}, {@code what} naming it (e.g. {@code "GET /healthz"}). A
     * connection that fails before any HTTP arrives is {@link NotHttp} (an old agent may hang up on
     * what it does not know); a deadline or a failure mid-answer throws.
     *
     * <p>Over a virtio-serial port every connection shares one byte stream, so answers to requests
     * given up on earlier (and the {@code PONG} of a legacy probe) may come first: an answer that
     * echoes another request's id is read and dropped, a {@code PONG} line skipped. An answer with
     * no id is an older agent's, taken as this request's.
     */
    static Result read(ChannelIo io, Deadline end, Request request, String what, String target) {
        String step = "reading the answer to " + what;
        Capture raw = new Capture(io.inputStream(end, step));
        SessionInputBufferImpl buffer = new SessionInputBufferImpl(8192, MAX_LINE);
        for (int stale = 0; ; stale++) {
            ClassicHttpResponse response;
            try {
                response = new StaleLineSkippingParser().parse(buffer, raw);
            } catch (ChannelIo.AgentIoException e) {
                if (e.agentException().reason() != AgentException.Reason.UNREACHABLE) {
                    throw e.agentException();
                }
                // An old agent that hangs up on an unknown line leaves the request unread: the kernel resets.
                Throwable ioFailure = e.agentException().getCause();
                return new NotHttp("connection failed before an HTTP answer to " + what + " ("
                        + (ioFailure != null ? ioFailure.getMessage() : e.getMessage()) + ")");
            } catch (IOException | HttpException e) {
                return new NotHttp("answer to " + what + " is not HTTP: " + ChannelIo.printable(raw.captured()));
            }
            if (response == null) {
                return new NotHttp("connection closed without answering " + what);
            }
            byte[] body = readBody(response, buffer, raw, what, target);
            Header echoed = response.getFirstHeader(REQUEST_ID);
            if (echoed == null || echoed.getValue().equals(request.id())) {
                return new Answer(response.getCode(), response.getReasonPhrase(), body);
            }
            if (stale >= MAX_STALE_ANSWERS) {
                throw new AgentException(AgentException.Reason.PROTOCOL, "agent at " + target + " sent more than "
                        + MAX_STALE_ANSWERS + " answers to earlier requests before the one to " + what);
            }
        }
    }

    private static byte[] readBody(ClassicHttpResponse response, SessionInputBufferImpl buffer, InputStream raw,
            String what, String target) {
        try {
            Header encoding = response.getFirstHeader(HttpHeaders.TRANSFER_ENCODING);
            Header length = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
            InputStream body;
            if (encoding != null && "chunked".equalsIgnoreCase(encoding.getValue().trim())) {
                body = new ChunkedInputStream(buffer, raw);
            } else if (length != null) {
                long declared = parseLength(length.getValue(), target);
                body = new ContentLengthInputStream(buffer, raw, Math.min(declared, MAX_BODY + 1L));
            } else {
                body = new BufferedRest(buffer, raw);  // Connection: close delimits the body
            }
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new AgentException(AgentException.Reason.PROTOCOL,
                        "agent at " + target + " answered " + what + " with a body over " + MAX_BODY + " bytes");
            }
            return bytes;
        } catch (ChannelIo.AgentIoException e) {
            throw e.agentException();
        } catch (IOException e) {
            throw new AgentException(AgentException.Reason.PROTOCOL,
                    "agent at " + target + " sent a malformed body while reading the answer to " + what + ": "
                            + e.getMessage(), e);
        }
    }

    private static long parseLength(String value, String target) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new AgentException(AgentException.Reason.PROTOCOL,
                "agent at " + target + " sent an invalid Content-Length " + ChannelIo.printable(value));
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

    /** The response parser, skipping the {@code PONG} line a legacy probe left in the stream. */
    private static final class StaleLineSkippingParser extends DefaultHttpResponseParser {
        StaleLineSkippingParser() {
            super(CONFIG);
        }

        @Override
        protected ClassicHttpResponse createMessage(CharArrayBuffer line) throws IOException, HttpException {
            // null makes the parser read the next line, as it does after an empty one.
            return line.toString().equals("PONG") ? null : super.createMessage(line);
        }
    }
}
