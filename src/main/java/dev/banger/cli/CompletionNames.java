package dev.banger.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.banger.config.BangerPaths;
import dev.banger.model.BangerException;
import dev.banger.rpc.RpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code banger completion names vm|image}: the names a shell completes, one a line, from a
 * running bangerd. A completion runs at every Tab, so this never starts the daemon, never prints an
 * error (a shell would show it in the middle of the line), waits briefly, and is answered before
 * picocli's model is built, as {@link QuickVmList} is; jackson-core streams the answer. No daemon,
 * an error or an unreadable answer print nothing and exit 0. Stateless.
 */
final class CompletionNames {
    /** Long enough for a daemon that is busy; short enough that a stuck one does not hang the shell. */
    static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final JsonFactory JSON = new JsonFactory();

    private CompletionNames() {}

    /** The exit code when {@code args} are {@code completion names vm|image}; empty for anything else. */
    static OptionalInt quick(String[] args, BangerPaths paths, PrintWriter out) {
        if (args.length != 3 || !args[0].equals("completion") || !args[1].equals("names") || list(args[2]).isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(print(args[2], paths, out));
    }

    /** Prints the names of {@code kind} ({@code vm} or {@code image}) that the daemon lists; always exit 0. */
    static int print(String kind, BangerPaths paths, PrintWriter out) {
        Optional<String[]> list = list(kind);
        if (list.isPresent()) {
            String answer;
            try (RpcClient client = RpcClient.connect(paths.socket())) {
                answer = client.callRaw(list.get()[0], DEADLINE);
            } catch (BangerException e) {
                return ExitCodes.OK;
            }
            names(answer, list.get()[1]).forEach(out::println);
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** The RPC method and the field of its result that holds the list, for a kind of name. */
    private static Optional<String[]> list(String kind) {
        return switch (kind) {
            case "vm" -> Optional.of(new String[] {"vm.list", "vms"});
            case "image" -> Optional.of(new String[] {"image.list", "images"});
            default -> Optional.empty();
        };
    }

    /**
     * The {@code name} of every object in {@code result.<field>} of an answer line; empty for an
     * error answer or one that does not read so.
     */
    static List<String> names(String answer, String field) {
        try (JsonParser parser = JSON.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("result") && value == JsonToken.START_OBJECT) {
                    return listIn(parser, field);
                }
                parser.skipChildren();
            }
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> listIn(JsonParser parser, String field) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(field) && value == JsonToken.START_ARRAY) {
                List<String> names = new ArrayList<>();
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    nameOf(parser).ifPresent(names::add);
                }
                return names;
            }
            parser.skipChildren();
        }
        return List.of();
    }

    private static Optional<String> nameOf(JsonParser parser) throws IOException {
        String found = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("name") && value == JsonToken.VALUE_STRING) {
                found = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return Optional.ofNullable(found);
    }
}
