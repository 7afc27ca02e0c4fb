package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.vmm.VmmException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Speaks Firecracker's REST API over its Unix socket with Jetty's HTTP client. Every call is
 * bounded by one timeout covering connect, send and response; a non-2xx answer becomes a
 * {@link VmmException} carrying Firecracker's {@code fault_message}. One client serves any number
 * of machines (the socket is per call). Thread-safe; close it to stop Jetty's threads.
 */
public final class FirecrackerApiClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY_CHARS = 2000;

    private final HttpClient http;
    private final Duration timeout;

    /** Starts a client whose every call must finish within {@code timeout}. */
    public FirecrackerApiClient(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("an API timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.http = new HttpClient();
        // Daemon threads: a daemon that forgets to close this client must still be able to exit.
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("firecracker-api");
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler("firecracker-api-scheduler", true));
        // Firecracker's HTTP server never compresses; asking for gzip would only add a header it must parse.
        http.getContentDecoderFactories().clear();
        http.setConnectTimeout(timeout.toMillis());
        // Each VM gets its own destination (its socket); drop those of machines long gone.
        http.setDestinationIdleTimeout(Duration.ofSeconds(30).toMillis());
        try {
            http.start();
        } catch (Exception e) {
            throw new VmmException("could not start the Firecracker API client", e);
        }
    }

    /**
     * Sends one call to the Firecracker listening on {@code apiSocket} and insists on a 2xx answer.
     *
     * @throws VmmException naming the call and Firecracker's {@code fault_message} when refused,
     *                      or what went wrong when the socket did not answer in time
     */
    public void send(Path apiSocket, ApiCall call) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(call.body());
        } catch (JsonProcessingException e) {
            throw new VmmException("could not serialise the body of " + call, e);
        }
        Request request = http.newRequest(URI.create("http://localhost" + call.path()))
                .method(call.method())
                .transport(new Transport.TCPUnix(apiSocket))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // A fresh connection per call: a handful of calls per machine, and never a pooled
                // connection left over from a previous Firecracker on the same socket path.
                .headers(headers -> headers.put(HttpHeader.CONNECTION, "close"))
                // Firecracker's parser takes exactly this media type, no charset parameter.
                .body(new BytesRequestContent("application/json", body));
        ContentResponse response;
        try {
            response = request.send();
        } catch (TimeoutException e) {
            throw new VmmException("Firecracker at " + apiSocket + " did not answer " + call + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new VmmException("could not send " + call + " to Firecracker at " + apiSocket + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted while sending " + call + " to Firecracker at " + apiSocket, e);
        }
        int status = response.getStatus();
        if (status < 200 || status > 299) {
            throw new VmmException("Firecracker refused " + call + " (HTTP " + status + "): "
                    + faultMessage(response.getContentAsString()));
        }
    }

    /** Firecracker's {@code {"fault_message": ...}}, or the raw body when it is not that shape. */
    static String faultMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            JsonNode fault = JSON.readTree(body).get("fault_message");
            if (fault != null && fault.isTextual()) {
                return fault.asText();
            }
        } catch (JsonProcessingException e) {
            // Not JSON: show it as it came.
        }
        String trimmed = body.strip();
        return trimmed.length() > MAX_ERROR_BODY_CHARS ? trimmed.substring(0, MAX_ERROR_BODY_CHARS) + "…" : trimmed;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new VmmException("could not stop the Firecracker API client", e);
        }
    }
}
