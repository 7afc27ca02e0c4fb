package dev.banger.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.banger.config.BangerPaths;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code banger vm list} and {@code banger vm list --json} without picocli's model or Jackson databind: the
 * command people and scripts run most, whose round trip the benchmark holds to a target
 * (docs/bench.md). picocli reads its annotations by reflection at every start (annotation proxies,
 * which the JVM's AOT cache cannot keep) and databind's {@code ObjectMapper} is slow to build:
 * together more than half of that budget. So jackson-core streams the answer, and the fields the table shows
 * go through {@link VmView#row} and {@link VmView#printList}, the renderer {@link VmListCommand}
 * uses, so both print the same. Anything unusual returns empty and the full command runs instead:
 * other arguments, no daemon (the full command starts one), an error answer, or an answer the full
 * command would refuse (an unknown field or state, a missing or mistyped value). Stateless.
 */
final class QuickVmList {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Set<String> FIELDS = Arrays.stream(VmInfo.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());
    private static final JsonFactory JSON = new JsonFactory();

    private QuickVmList() {}

    /** The exit code when it answered {@code args}; empty when the full command must run. */
    static OptionalInt run(String[] args, BangerPaths paths, PrintWriter out) {
        boolean json = args.length == 3 && args[2].equals("--json");
        if (!(args.length == 2 || json) || !args[0].equals("vm") || !args[1].equals("list")) {
            return OptionalInt.empty();
        }
        String answer;
        try (RpcClient client = RpcClient.connect(paths.socket())) {
            answer = client.callRaw("vm.list", DEADLINE);
        } catch (DaemonUnavailableException e) {
            return OptionalInt.empty();
        }
        Optional<Listing> listing = read(answer);
        if (listing.isEmpty()) {
            return OptionalInt.empty();
        }
        if (json) {
            out.println(listing.get().json());
            out.flush();
        } else {
            VmView.printList(new Printer(out), listing.get().rows());
        }
        return OptionalInt.of(ExitCodes.OK);
    }

    /**
     * A {@code vm.list} answer read once: the table rows, and its {@code result} as {@code --json}
     * prints it. The daemon wrote that text compactly from the same records with the same settings,
     * so for an answer that reads cleanly it is what databind writes after decoding it.
     */
    record Listing(List<List<String>> rows, String json) {}

    /** The answer's listing; empty for an error or anything the full command would refuse. */
    static Optional<Listing> read(String answer) {
        try (JsonParser parser = JSON.createParser(answer)) {
            Listing listing = null;
            expect(parser, JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("result")) {
                    int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
                    List<List<String>> rows = result(parser);
                    int end = Math.toIntExact(parser.currentLocation().getCharOffset());
                    listing = new Listing(rows, answer.substring(start, end));
                } else if (field.equals("error")) {
                    return Optional.empty();
                } else {
                    parser.skipChildren();
                }
            }
            expectCurrent(parser, JsonToken.END_OBJECT);
            if (parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.ofNullable(listing);
        } catch (IOException | Refused e) {
            return Optional.empty();
        }
    }

    private static List<List<String>> result(JsonParser parser) throws IOException {
        expectCurrent(parser, JsonToken.START_OBJECT);
        List<List<String>> rows = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (!parser.currentName().equals("vms")) {
                throw new Refused();
            }
            expect(parser, JsonToken.START_ARRAY);
            rows = new ArrayList<>();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                rows.add(vm(parser));
            }
            expectCurrent(parser, JsonToken.END_ARRAY);
        }
        if (rows == null) {
            throw new Refused();
        }
        return rows;
    }

    private static List<String> vm(JsonParser parser) throws IOException {
        Map<String, Object> values = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if ((field.equals("ports") || field.equals("shares")) && token == JsonToken.START_ARRAY) {
                // Not columns of the table.
                parser.skipChildren();
                continue;
            }
            if (!FIELDS.contains(field) || values.containsKey(field)) {
                throw new Refused();
            }
            values.put(field, switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getLongValue();
                case VALUE_NULL -> Sentinel.NULL;
                default -> throw new Refused();
            });
        }
        return VmView.row(string(values, "name", false), state(string(values, "state", false)), string(values, "image", true),
                string(values, "ip", true), integer(values, "vcpus"), integer(values, "memoryMib"), number(values, "diskBytes"),
                string(values, "vmm", true));
    }

    /**
     * The state of a wire word. Only the word itself: a daemon older than the lower-case words sends
     * the Java name, which only databind's reading turns into the word {@code --json} prints.
     */
    private static VmState state(String wire) {
        for (VmState state : VmState.values()) {
            if (state.wireName().equals(wire)) {
                return state;
            }
        }
        throw new Refused();
    }

    private static String string(Map<String, Object> values, String field, boolean nullable) {
        Object value = values.get(field);
        if (value instanceof String text) {
            return text;
        }
        if (nullable && (value == null || value == Sentinel.NULL)) {
            return null;
        }
        throw new Refused();
    }

    private static long number(Map<String, Object> values, String field) {
        if (values.get(field) instanceof Long number) {
            return number;
        }
        throw new Refused();
    }

    private static int integer(Map<String, Object> values, String field) {
        long number = number(values, field);
        if (number != (int) number) {
            throw new Refused();
        }
        return (int) number;
    }

    private static void expect(JsonParser parser, JsonToken token) throws IOException {
        parser.nextToken();
        expectCurrent(parser, token);
    }

    private static void expectCurrent(JsonParser parser, JsonToken token) {
        if (parser.currentToken() != token) {
            throw new Refused();
        }
    }

    /** A JSON null, told apart from a field that is absent. */
    private enum Sentinel { NULL }

    /** The answer is one the full command would refuse or report; it runs instead. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }
}
