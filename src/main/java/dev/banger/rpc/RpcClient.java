package dev.banger.rpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls the daemon: one connection per client, requests answered in order. Each call has a
 * deadline; a call past it closes the connection. Not thread-safe: use one client per thread.
 */
public final class RpcClient implements AutoCloseable {
    private final Path socket;
    private final SocketChannel channel;
    private final LineReader reader;
    private final AtomicLong ids = new AtomicLong();

    private RpcClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        InputStream in = Channels.newInputStream(channel);
        this.reader = new LineReader(in, 64 * 1024 * 1024);
    }

    /** Connects, or throws {@link DaemonUnavailableException} saying why not. */
    public static RpcClient connect(Path socket) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new RpcClient(socket, channel);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Nothing was established.
                }
            }
            throw new DaemonUnavailableException("bangerd is not reachable at " + socket + ": " + describe(e), e);
        }
    }

    public <R> R call(String method, Object params, Class<R> resultType, Duration deadline) {
        return call(method, params, Json.mapper().constructType(resultType), deadline);
    }

    /**
     * Sends one request and waits up to {@code deadline} for its answer.
     *
     * @throws RpcException carrying the daemon's error
     * @throws DaemonUnavailableException when the connection fails or the deadline passes
     */
    public <R> R call(String method, Object params, JavaType resultType, Duration deadline) {
        ObjectMapper json = Json.mapper();
        long id = ids.incrementAndGet();
        ObjectNode request = json.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        request.set("params", params == null ? json.createObjectNode() : json.valueToTree(params));
        String line;
        try {
            line = exchange(json.writeValueAsString(request), deadline, method);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode the parameters of " + method + ": " + e.getOriginalMessage(), e);
        }
        JsonNode response;
        try {
            response = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DaemonUnavailableException("bangerd sent malformed JSON for " + method + ": " + e.getOriginalMessage());
        }
        if (response.hasNonNull("error")) {
            RpcError error;
            try {
                error = json.treeToValue(response.get("error"), RpcError.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new RpcException(RpcErrorCodes.INTERNAL_ERROR, ErrorKind.INTERNAL,
                        "bangerd sent an unreadable error for " + method + ": " + response.get("error"), null);
            }
            throw RpcException.from(error);
        }
        try {
            return json.treeToValue(response.get("result"), resultType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new RpcException(RpcErrorCodes.INTERNAL_ERROR, ErrorKind.INTERNAL,
                    "bangerd's answer to " + method + " does not match this CLI's version: " + e.getMessage(), null);
        }
    }

    /**
     * Sends a request without parameters and returns the daemon's answer line undecoded, for
     * callers that read it with a streaming parser: building Jackson's {@code ObjectMapper} is a
     * large share of a short CLI run such as {@code banger vm list} (see {@code QuickVmList}).
     *
     * @throws DaemonUnavailableException when the connection fails or the deadline passes
     */
    public String callRaw(String method, Duration deadline) {
        StringWriter request = new StringWriter();
        try (JsonGenerator out = new JsonFactory().createGenerator(request)) {
            out.writeStartObject();
            out.writeStringField("jsonrpc", "2.0");
            out.writeNumberField("id", ids.incrementAndGet());
            out.writeStringField("method", method);
            out.writeObjectFieldStart("params");
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a request in memory", e);
        }
        return exchange(request.toString(), deadline, method);
    }

    private String exchange(String request, Duration deadline, String method) {
        // The exchange blocks on the caller's thread and a watchdog closes the channel at the
        // deadline, which ends the read. (On a virtual thread the read would start the JDK's I/O
        // poller, a thread blocked in native code that System.exit then waits 300 ms for: half a
        // CLI call.)
        CountDownLatch answered = new CountDownLatch(1);
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread.ofPlatform().daemon().name("rpc-deadline").start(() -> {
            try {
                if (!answered.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut.set(true);
                    close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String line;
        try {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            line = reader.readLine();
        } catch (IOException e) {
            if (timedOut.get()) {
                throw DaemonUnavailableException.noAnswer("bangerd did not answer " + method + " within " + deadline.toMillis() + " ms");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new DaemonUnavailableException("interrupted while waiting for bangerd");
            }
            throw new DaemonUnavailableException("lost the connection to bangerd at " + socket + " during " + method
                    + ": " + describe(e), e);
        } finally {
            answered.countDown();
        }
        if (timedOut.get()) {
            throw DaemonUnavailableException.noAnswer("bangerd did not answer " + method + " within " + deadline.toMillis() + " ms");
        }
        if (line == null) {
            throw new DaemonUnavailableException("bangerd closed the connection during " + method);
        }
        return line;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a broken channel has nothing left to report.
        }
    }
}
