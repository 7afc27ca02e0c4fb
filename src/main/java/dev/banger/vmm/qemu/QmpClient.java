package dev.banger.vmm.qemu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banger.io.LineBuffer;
import dev.banger.io.SelectingSocket;
import dev.banger.model.Deadline;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A QMP (QEMU Machine Protocol) connection over QEMU's Unix control socket: {@link #connect} reads
 * the greeting and negotiates {@code qmp_capabilities}; {@link #execute} sends one command and waits
 * for its answer, skipping asynchronous events. Every read and write waits in a {@link SelectingSocket}
 * bounded by the call's deadline, so a wedged QEMU cannot hang the daemon. QMP errors become a
 * {@link QemuException} carrying {@code error.desc} and {@code error.class}. Hand-written rather than
 * a library because QMP is a line of JSON each way and no maintained Java QMP client exists. Not
 * thread-safe: one connection, one caller at a time.
 */
public final class QmpClient implements AutoCloseable {
    /** QMP messages are small; a longer line means the peer is not QMP. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /**
     * QEMU's protocol, neither banger's wire nor its stored records, so it has its own reader: one
     * JSON value per line, anything after it is malformed.
     */
    private static final ObjectMapper QMP_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** What an interrupted wait says, after "failed while STEP: ". */
    private static final String INTERRUPTED = "interrupted";

    private final SelectingSocket channel;
    private final Path socket;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024).flip();
    private long nextId = 1;

    private QmpClient(SelectingSocket channel, Path socket) {
        this.channel = channel;
        this.socket = socket;
    }

    /**
     * Connects, reads the greeting and leaves capabilities negotiation mode, all within {@code timeout}.
     *
     * @throws QemuException when nothing listens, the peer is not QMP, or time runs out
     */
    public static QmpClient connect(Path socket, Duration timeout) {
        Deadline end = deadline(timeout);
        QmpClient client = null;
        try {
            client = new QmpClient(SelectingSocket.connect(socket, millis(socket, end, "connecting"), INTERRUPTED), socket);
            JsonNode greeting = client.readMessage(end, "reading the greeting");
            if (!greeting.has("QMP")) {
                throw new QemuException("the socket " + socket + " did not greet with QMP: " + abbreviate(greeting.toString()));
            }
            client.execute("qmp_capabilities", null, end);
            return client;
        } catch (IOException e) {
            throw new QemuException("cannot connect to QMP at " + socket + ": " + describe(e), e);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            throw e;
        }
    }

    /**
     * Runs one command and returns its {@code return} value.
     *
     * @param arguments the command's {@code arguments} object, or {@code null} for none
     * @throws QemuException with QMP's {@code error.desc} when QEMU refuses it, or on I/O failure or timeout
     */
    public JsonNode execute(String command, JsonNode arguments, Duration timeout) {
        return execute(command, arguments, deadline(timeout));
    }

    /** {@code query-status}: the run state, e.g. {@code running}, {@code paused}, {@code shutdown}. */
    public String queryStatus(Duration timeout) {
        return execute("query-status", null, timeout).path("status").asText();
    }

    /** {@code cont}: lets the vCPUs of a machine started with {@code -S} run. */
    public void cont(Duration timeout) {
        execute("cont", null, timeout);
    }

    /** {@code block_resize}: grows the drive with id {@code device} to {@code bytes}. */
    public void blockResize(String device, long bytes, Duration timeout) {
        execute("block_resize", JsonNodeFactory.instance.objectNode().put("device", device).put("size", bytes), timeout);
    }

    /** {@code stop}: pauses the vCPUs; the machine keeps its state and can be migrated. */
    public void stop(Duration timeout) {
        execute("stop", null, timeout);
    }

    /** {@code migrate-set-parameters max-bandwidth}: the migration's rate limit, in bytes per second. */
    public void setMigrationBandwidth(long bytesPerSecond, Duration timeout) {
        execute("migrate-set-parameters", JsonNodeFactory.instance.objectNode().put("max-bandwidth", bytesPerSecond), timeout);
    }

    /** {@code migrate-set-capabilities}: turns one migration capability on or off, on either side. */
    public void setMigrationCapability(String capability, boolean on, Duration timeout) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode().put("capability", capability).put("state", on);
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.putArray("capabilities").add(entry);
        execute("migrate-set-capabilities", arguments, timeout);
    }

    /** {@code migrate-incoming}: a machine started with {@code -incoming defer} starts reading {@code uri}. */
    public void migrateIncoming(String uri, Duration timeout) {
        execute("migrate-incoming", JsonNodeFactory.instance.objectNode().put("uri", uri), timeout);
    }

    /** {@code migrate}: starts sending the machine to {@code uri}; it runs on in QEMU, see {@link #queryMigrate}. */
    public void migrate(String uri, Duration timeout) {
        execute("migrate", JsonNodeFactory.instance.objectNode().put("uri", uri), timeout);
    }

    /** {@code query-migrate}: where the outgoing or incoming migration is. */
    public Migration queryMigrate(Duration timeout) {
        JsonNode info = execute("query-migrate", null, timeout);
        return new Migration(info.path("status").asText(""), info.path("error-desc").asText(""));
    }

    /**
     * A migration's progress as {@code query-migrate} tells it.
     *
     * @param status    QEMU's {@code MigrationStatus} ({@code setup}, {@code active}, {@code completed},
     *                  {@code failed}, {@code cancelled}…), empty before any migration started
     * @param errorDesc why it failed, when QEMU says; else empty
     */
    public record Migration(String status, String errorDesc) {
        public boolean completed() {
            return status.equals("completed");
        }

        /** It ended without completing. */
        public boolean failed() {
            return status.equals("failed") || status.equals("cancelled");
        }
    }

    /** Presses Ctrl-Alt-Delete on the guest's keyboard (the i8042): the Firecracker-style stop request. */
    public void sendCtrlAltDelete(Duration timeout) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        var keys = arguments.putArray("keys");
        for (String key : new String[] {"ctrl", "alt", "delete"}) {
            keys.addObject().put("type", "qcode").put("data", key);
        }
        execute("send-key", arguments, timeout);
    }

    /** Presses the ACPI power button; guests without a listener for it ignore this. */
    public void systemPowerdown(Duration timeout) {
        execute("system_powerdown", null, timeout);
    }

    /** Asks QEMU to exit at once. QEMU may close the socket before or after answering; both count as done. */
    public void quit(Duration timeout) {
        try {
            execute("quit", null, timeout);
        } catch (QemuException e) {
            if (!(e.getCause() instanceof ClosedByPeerException)) {
                throw e;
            }
        }
    }

    private JsonNode execute(String command, JsonNode arguments, Deadline end) {
        long id = nextId++;
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        request.put("id", id);
        String step = "running " + command;
        write((request + "\n").getBytes(StandardCharsets.UTF_8), end, step);
        while (true) {
            JsonNode reply = readMessage(end, step);
            if (reply.has("event") || !reply.path("id").isIntegralNumber() || reply.path("id").asLong() != id) {
                continue; // an asynchronous event (SHUTDOWN, RESET, ...), not our answer
            }
            JsonNode error = reply.get("error");
            if (error != null) {
                String errorClass = error.path("class").asText("GenericError");
                throw new QemuException("QMP " + command + " at " + socket + " failed: " + error.path("desc").asText(errorClass)
                        + " (" + errorClass + ")", errorClass);
            }
            return reply.path("return");
        }
    }

    private void write(byte[] bytes, Deadline end, String step) {
        try {
            channel.write(ByteBuffer.wrap(bytes), millis(socket, end, step));
        } catch (IOException e) {
            throw failure(step, e);
        }
    }

    private JsonNode readMessage(Deadline end, String step) {
        String line = readLine(end, step);
        try {
            JsonNode message = QMP_JSON.readTree(line);
            if (message == null || !message.isObject()) {
                throw new QemuException("QMP at " + socket + " sent something other than a JSON object while " + step
                        + ": " + abbreviate(line));
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new QemuException("QMP at " + socket + " sent malformed JSON while " + step + ": " + abbreviate(line), e);
        }
    }

    private String readLine(Deadline end, String step) {
        LineBuffer lines = new LineBuffer(MAX_LINE_BYTES);
        try {
            while (true) {
                byte[] line;
                try {
                    line = lines.take(readBuffer);
                } catch (LineBuffer.TooLongException e) {
                    throw new QemuException("QMP at " + socket + " sent a line longer than " + MAX_LINE_BYTES
                            + " bytes while " + step);
                }
                if (line != null) {
                    return new String(line, StandardCharsets.UTF_8).strip();
                }
                readBuffer.clear();
                int n;
                try {
                    n = channel.read(readBuffer, millis(socket, end, step));
                } finally {
                    readBuffer.flip();
                }
                if (n < 0) {
                    throw failure(step, new ClosedByPeerException());
                }
            }
        } catch (IOException e) {
            throw failure(step, e);
        }
    }

    /** The wait budget of one select: whole milliseconds left of {@code end}; fails naming {@code step} once none are. */
    private static LongSupplier millis(Path socket, Deadline end, String step) {
        return () -> {
            long millis = end.remainingNanos() / 1_000_000;
            if (millis <= 0) {
                throw new QemuException("QMP at " + socket + " did not answer in time: timed out " + step);
            }
            return millis;
        };
    }

    private QemuException failure(String step, IOException e) {
        return new QemuException("QMP connection to " + socket + " failed while " + step + ": " + describe(e), e);
    }

    @Override
    public void close() {
        channel.close();
    }

    private static Deadline deadline(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a QMP call needs a positive timeout, got " + timeout);
        }
        return Deadline.after(timeout);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** The peer closed the connection: for {@code quit}, the expected end. */
    static final class ClosedByPeerException extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedByPeerException() {
            super("QEMU closed the connection");
        }
    }
}
