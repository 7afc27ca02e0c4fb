package dev.banger.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.rpc.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends a seeded sequence of {@link HostileRequests} to a bangerd socket, one connection reused
 * until the daemon closes it, and checks every answer: a JSON-RPC 2.0 error object (or an array of
 * them for a batch) with an integer code from the documented set, a non-blank message and the
 * request's id; nothing at all for a notification; an error and then end of stream for a line over
 * the cap. Every read is bounded, so a hang is a failure, not a stuck build. Not thread-safe.
 */
final class RpcFuzzer {
    /** Codes bangerd documents; -32603 (internal) is deliberately absent: bad input is never an internal error. */
    static final Set<Integer> ALLOWED_CODES = Set.of(-32700, -32600, -32601, -32602, -32001, -32002, -32003, -32004);
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(20);
    private static final String EOF = "\u0000eof";

    /** What one run did; {@code failures} lists the first problems with seed and index, empty when all held. */
    record Report(long seed, int requests, int answered, int notifications, int reconnects, Map<HostileRequests.Kind, Integer> byKind,
            Map<Integer, Integer> byCode, Duration elapsed, List<String> failures) {
        double perSecond() {
            return requests / Math.max(0.001, elapsed.toNanos() / 1e9);
        }

        String summary() {
            return String.format("seed %d: %d requests (%d answered, %d notifications, %d reconnects after over-long lines)"
                    + " in %.1f s = %.0f requests/s; kinds %s; error codes %s", seed, requests, answered, notifications,
                    reconnects, elapsed.toNanos() / 1e9, perSecond(), byKind, byCode);
        }
    }

    private final Path socket;
    private SocketChannel channel;
    private BlockingQueue<String> answers;

    RpcFuzzer(Path socket) {
        this.socket = socket;
    }

    /** The seed from {@code -Dbanger.fuzz.seed}, else a fresh one; always printed so a failure can be replayed. */
    static long seed(String suite) {
        String fixed = System.getProperty("banger.fuzz.seed");
        long seed = fixed == null ? System.nanoTime() ^ ProcessHandle.current().pid() : Long.parseLong(fixed);
        System.out.println(suite + ": fuzz seed " + seed + " (replay with -Dbanger.fuzz.seed=" + seed + ")");
        return seed;
    }

    /** The request count from {@code -Dbanger.fuzz.requests}, else {@code fallback}. */
    static int requests(int fallback) {
        return Integer.getInteger("banger.fuzz.requests", fallback);
    }

    Report run(long seed, int count) throws IOException, InterruptedException {
        HostileRequests generator = new HostileRequests(seed);
        List<String> failures = new ArrayList<>();
        Map<HostileRequests.Kind, Integer> byKind = new EnumMap<>(HostileRequests.Kind.class);
        Map<Integer, Integer> byCode = new java.util.TreeMap<>();
        int answered = 0;
        int notifications = 0;
        int reconnects = 0;
        long start = System.nanoTime();
        try {
            for (int k = 0; k < count && failures.size() < 20; k++) {
                HostileRequests.Request request = generator.next();
                byKind.merge(request.kind(), 1, Integer::sum);
                if (channel == null) {
                    connect();
                }
                send(request.line());
                String where = "seed " + seed + " request #" + request.index() + " (" + request.kind() + "): ";
                switch (request.expect()) {
                    case NO_ANSWER -> notifications++;
                    case ERROR, ERROR_BATCH -> {
                        String line = answers.poll(ANSWER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                        if (line == null || line.equals(EOF)) {
                            failures.add(where + (line == null ? "no answer within " + ANSWER_DEADLINE : "connection closed")
                                    + " for " + request.preview());
                            disconnect();
                            continue;
                        }
                        answered++;
                        check(request, line, byCode).ifPresent(problem -> failures.add(where + problem + "\n  request: "
                                + request.preview() + "\n  answer: " + abbreviate(line)));
                    }
                    case ERROR_THEN_CLOSE -> {
                        String line = answers.poll(ANSWER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                        String after = line == null || line.equals(EOF) ? null : answers.poll(ANSWER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                        if (line == null || line.equals(EOF)) {
                            failures.add(where + "no error before the close for an over-long line");
                        } else {
                            answered++;
                            check(request, line, byCode).ifPresent(problem -> failures.add(where + problem));
                            if (!EOF.equals(after)) {
                                failures.add(where + "the connection stayed open after an over-long line: " + after);
                            }
                        }
                        disconnect();
                        reconnects++;
                    }
                }
            }
        } finally {
            disconnect();
        }
        return new Report(seed, byKind.values().stream().mapToInt(Integer::intValue).sum(), answered, notifications, reconnects,
                byKind, byCode, Duration.ofNanos(System.nanoTime() - start), failures);
    }

    private Optional<String> check(HostileRequests.Request request, String line, Map<Integer, Integer> byCode) {
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(line);
        } catch (IOException e) {
            return Optional.of("the answer is not JSON: " + e.getMessage());
        }
        if (request.expect() == HostileRequests.Expect.ERROR_BATCH) {
            if (!answer.isArray() || answer.size() != request.batchSize()) {
                return Optional.of("a batch of " + request.batchSize() + " needs an array of as many errors");
            }
            for (JsonNode member : answer) {
                Optional<String> problem = checkError(member, null, byCode);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        return checkError(answer, request.id(), byCode);
    }

    private static Optional<String> checkError(JsonNode answer, JsonNode id, Map<Integer, Integer> byCode) {
        if (!answer.isObject() || !"2.0".equals(answer.path("jsonrpc").textValue())) {
            return Optional.of("not a JSON-RPC 2.0 object");
        }
        if (answer.has("result")) {
            return Optional.of("a RESULT for a request that must be refused");
        }
        JsonNode error = answer.path("error");
        if (!error.path("code").isInt() || !error.path("message").isTextual() || error.path("message").textValue().isBlank()) {
            return Optional.of("the error lacks an integer code or a message");
        }
        int code = error.get("code").intValue();
        byCode.merge(code, 1, Integer::sum);
        if (!ALLOWED_CODES.contains(code)) {
            return Optional.of("error code " + code + " (" + error.path("message").textValue() + ") is not a bad-input code");
        }
        if (!error.path("data").path("kind").isTextual()) {
            return Optional.of("the error has no data.kind");
        }
        if (id != null && !id.equals(answer.get("id"))) {
            return Optional.of("the answer's id " + answer.get("id") + " is not the request's " + id);
        }
        return Optional.empty();
    }

    private void connect() throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        answers = queue;
        InputStream in = Channels.newInputStream(channel);
        Thread.ofVirtual().name("fuzz-reader").start(() -> readLines(in, queue));
    }

    /**
     * Reads answer lines onto the queue until end of stream. Hand-written rather than a
     * BufferedReader so an answer larger than any buffer and the end of stream are both seen.
     */
    private static void readLines(InputStream in, BlockingQueue<String> queue) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int k = 0; k < n; k++) {
                    if (buffer[k] == '\n') {
                        queue.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buffer[k]);
                    }
                }
            }
        } catch (IOException e) {
            // A reset after an over-long line is the same end of conversation as a clean close.
        }
        queue.add(EOF);
    }

    private void send(byte[] line) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            // The daemon may close while an over-long line is still being written; its answer is already queued.
        }
    }

    private void disconnect() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a broken channel; nothing left to release.
            }
            channel = null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }
}
