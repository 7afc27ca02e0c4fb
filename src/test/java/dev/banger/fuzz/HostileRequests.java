package dev.banger.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banger.model.Image;
import dev.banger.model.Vm;
import dev.banger.rpc.Json;
import dev.banger.rpc.RpcServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of malformed and hostile JSON-RPC request lines for bangerd. The same seed
 * always yields the same sequence, so a failure is reproduced by its seed and index. Every request
 * it makes is invalid by construction: each method call carries at least one "poison" value that
 * the daemon must refuse (a bad name, a size out of range, a path that is not a kernel, an unknown
 * parameter), so no answer may be a result. Not thread-safe: one generator per sequence.
 */
final class HostileRequests {
    /** The shape of a request, to report figures per shape. */
    enum Kind {
        RANDOM_BYTES, TRUNCATED_JSON, WRONG_SHAPE, DEEP_NESTING, BAD_ENVELOPE, HOSTILE_PARAMS, UNKNOWN_METHOD, BATCH,
        NOTIFICATION, HUGE_LINE, OVERSIZED_LINE
    }

    /** What the daemon must do with a request. */
    enum Expect {
        /** One JSON-RPC error object. */
        ERROR,
        /** A JSON array of error objects, one per batch member. */
        ERROR_BATCH,
        /** Nothing: a notification is never answered (and must not change anything either). */
        NO_ANSWER,
        /** One error object, then the daemon closes the connection (line over {@link RpcServer#MAX_REQUEST_BYTES}). */
        ERROR_THEN_CLOSE
    }

    /**
     * One request line (without its newline terminator).
     *
     * @param id the id the answer must carry, or null when the daemon cannot know it (garbage)
     */
    record Request(int index, Kind kind, byte[] line, Expect expect, JsonNode id, int batchSize) {
        String preview() {
            String text = new String(line, 0, Math.min(line.length, 300), StandardCharsets.UTF_8);
            return text + (line.length > 300 ? "… (" + line.length + " bytes)" : "");
        }
    }

    private enum Field { VM_NAME, IMAGE_NAME, VM_NAMES, COUNT, OFFSET, OPERATION_ID, SIZE, CHOICE, RELEASE, PATH, PORT_SPEC }

    /** Every method bangerd serves, with its parameters; methods without parameters have none. */
    static final Map<String, Map<String, Field>> METHODS = Map.ofEntries(
            Map.entry("daemon.status", Map.of()),
            Map.entry("daemon.shutdown", Map.of()),
            Map.entry("doctor.run", Map.of()),
            Map.entry("vm.list", Map.of()),
            Map.entry("image.list", Map.of()),
            Map.entry("vm.create.begin", Map.of("name", Field.VM_NAME, "image", Field.IMAGE_NAME, "vcpus", Field.COUNT,
                    "memoryMib", Field.COUNT, "diskGib", Field.COUNT)),
            Map.entry("vm.create.status", Map.of("operationId", Field.OPERATION_ID)),
            Map.entry("vm.show", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.start", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.stop", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.restart", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.delete", Map.of("names", Field.VM_NAMES)),
            Map.entry("vm.edit", Map.of("name", Field.VM_NAME, "vcpus", Field.COUNT, "memoryMib", Field.COUNT,
                    "diskGib", Field.COUNT)),
            Map.entry("vm.stats", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.health", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.logs", Map.of("name", Field.VM_NAME, "offset", Field.OFFSET)),
            Map.entry("vm.ssh", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.port.list", Map.of("name", Field.VM_NAME)),
            Map.entry("vm.port.add", Map.of("name", Field.VM_NAME, "spec", Field.PORT_SPEC)),
            Map.entry("vm.port.rm", Map.of("name", Field.VM_NAME, "spec", Field.PORT_SPEC)),
            Map.entry("vm.share.add", Map.of("name", Field.VM_NAME, "hostPath", Field.PATH, "guestPath", Field.PATH)),
            Map.entry("vm.share.rm", Map.of("name", Field.VM_NAME, "guestPath", Field.PATH)),
            Map.entry("image.build.begin", Map.of("name", Field.IMAGE_NAME, "distro", Field.CHOICE, "profile", Field.CHOICE,
                    "size", Field.SIZE, "release", Field.RELEASE)),
            Map.entry("image.rebuildRootfs.begin", Map.of("name", Field.IMAGE_NAME)),
            Map.entry("image.default.ensure", Map.of("image", Field.IMAGE_NAME)),
            Map.entry("image.build.status", Map.of("operationId", Field.OPERATION_ID)),
            Map.entry("image.verify.begin", Map.of("name", Field.IMAGE_NAME)),
            Map.entry("image.verify.status", Map.of("operationId", Field.OPERATION_ID)),
            Map.entry("image.snapshot.begin", Map.of("name", Field.IMAGE_NAME, "vcpus", Field.COUNT, "memoryMib", Field.COUNT)),
            Map.entry("image.snapshot.status", Map.of("operationId", Field.OPERATION_ID)),
            Map.entry("image.snapshot.delete", Map.of("name", Field.IMAGE_NAME, "vcpus", Field.COUNT, "memoryMib", Field.COUNT)),
            Map.entry("image.register", Map.of("name", Field.IMAGE_NAME, "kernel", Field.PATH, "rootfs", Field.PATH,
                    "initrd", Field.PATH, "modules", Field.PATH, "workSeed", Field.PATH)),
            Map.entry("image.promote", Map.of("name", Field.IMAGE_NAME)),
            Map.entry("image.show", Map.of("name", Field.IMAGE_NAME)),
            Map.entry("image.delete", Map.of("name", Field.IMAGE_NAME)));

    private static final List<String> METHOD_NAMES = METHODS.keySet().stream().sorted().toList();

    /** Names no VM or image may have: traversal, shell metacharacters, control characters, unicode, case, length. */
    private static final List<String> HOSTILE_NAMES = List.of(
            "", " ", "../../etc/passwd", "..", ".", "/etc/passwd", "/", "a/b", "a/../../b", "..%2f..%2fetc",
            "a;reboot", "a && rm -rf /", "$(touch /tmp/banger-fuzz-pwned)", "`id`", "a|nc -l 4444", "a\nb", "a\r\nb",
            "a\u0000b", "\u0000", "a\tb", "a b", "-rf", "--help", "-a", "Dev1", "ROOT", "dév", "ﾃｽﾄ", "\u202Eevil",
            "a\u200Bb", "😀", "\uD800", "a'b", "a\"b", "a\\b", "a*", "a?", "~root", "a>b", "a<b", "{a}", "a%n%n%n",
            "%s%s%s", "a".repeat(64), "x".repeat(100_000), "-", "_a", ".hidden", "a:b", "a=b", "a,b", "a#b");

    /** Strings for fields that hold names, paths, sizes or choices; many are hostile, a few are ordinary. */
    private static final List<String> HOSTILE_STRINGS = List.of(
            "../../../../../../etc/shadow", "/etc/passwd", "/dev/zero", "/dev/sda", "/proc/self/environ", "/proc/self/mem",
            "/", "/root/.ssh/id_rsa", "/nonexistent/kernel", "/tmp/../etc/passwd", "relative/path", "~/kernel", "",
            "/a\u0000b", "file:///etc/passwd", "http://127.0.0.1/", "$(id)", "`reboot`", ";id", "|id", "\nid", "%00",
            "bookworm", "debian", "dev", "minimal", "4G", "é".repeat(1000), "\uFFFF", "\uD83D", "null", "true", "0");

    private static final List<Field> PATHS_AND_CHOICES = List.of(Field.PATH, Field.CHOICE);

    private final SplittableRandom random;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private int index;

    HostileRequests(long seed) {
        this.random = new SplittableRandom(seed);
        for (String name : HOSTILE_NAMES) {
            if (Vm.isValidName(name) || Image.isValidName(name)) {
                throw new IllegalStateException("not a hostile name: " + name);
            }
        }
    }

    Request next() {
        int i = index++;
        int roll = random.nextInt(1000);
        if (roll < 60) {
            return new Request(i, Kind.RANDOM_BYTES, randomBytes(), Expect.ERROR, null, 0);
        }
        if (roll < 130) {
            return truncated(i);
        }
        if (roll < 190) {
            if (random.nextInt(5) == 0) {
                // A JSON array is a batch: one error per member that is not a request.
                int size = 1 + random.nextInt(4);
                String members = String.join(",", java.util.Collections.nCopies(size, pick(List.of("1", "null", "[]", "\"x\"", "[[]]"))));
                return new Request(i, Kind.WRONG_SHAPE, bytes("[" + members + "]"), Expect.ERROR_BATCH, null, size);
            }
            return new Request(i, Kind.WRONG_SHAPE, bytes(wrongShape()), Expect.ERROR, null, 0);
        }
        if (roll < 200) {
            int depth = 1_500 + random.nextInt(50_000);
            String open = random.nextBoolean() ? "[" : "{\"a\":";
            return new Request(i, Kind.DEEP_NESTING, bytes(open.repeat(depth)), Expect.ERROR, null, 0);
        }
        if (roll < 300) {
            return badEnvelope(i);
        }
        if (roll < 790) {
            ObjectNode request = hostileCall(i);
            return new Request(i, Kind.HOSTILE_PARAMS, write(request), Expect.ERROR, request.get("id"), 0);
        }
        if (roll < 850) {
            return unknownMethod(i);
        }
        if (roll < 910) {
            return batch(i);
        }
        if (roll < 960) {
            ObjectNode request = hostileCall(i);
            request.remove("id");
            return new Request(i, Kind.NOTIFICATION, write(request), Expect.NO_ANSWER, null, 0);
        }
        if (roll < 995) {
            // Under the cap but huge: must be parsed and refused like any other request.
            ObjectNode request = envelope(i, pick(METHOD_NAMES));
            String huge = "a".repeat(200_000 + random.nextInt(700_000)) + pick(List.of("", "/", ";id", "\u0000"));
            request.putObject("params").put(random.nextBoolean() ? "name" : "zzz", huge);
            return new Request(i, Kind.HUGE_LINE, write(request), Expect.ERROR, request.get("id"), 0);
        }
        byte[] line = new byte[RpcServer.MAX_REQUEST_BYTES + 1 + random.nextInt(64 * 1024)];
        Arrays.fill(line, (byte) 'a');
        byte[] head = bytes("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"vm.show\",\"params\":{\"name\":\"");
        System.arraycopy(head, 0, line, 0, head.length);
        return new Request(i, Kind.OVERSIZED_LINE, line, Expect.ERROR_THEN_CLOSE, null, 0);
    }

    private byte[] randomBytes() {
        byte[] line = new byte[1 + random.nextInt(200)];
        for (int k = 0; k < line.length; k++) {
            byte b = (byte) random.nextInt(256);
            line[k] = b == '\n' ? (byte) 0xff : b;
        }
        // A line of only blanks is skipped unanswered by design; these lines must each be answered.
        line[0] = (byte) ('!' + random.nextInt(90));
        return line;
    }

    private Request truncated(int i) {
        byte[] whole = write(hostileCall(i));
        int cut = 1 + random.nextInt(Math.max(1, Math.min(whole.length - 1, 400)));
        byte[] line = Arrays.copyOf(whole, cut);
        if (line[0] == ' ') {
            line[0] = '{';
        }
        return new Request(i, Kind.TRUNCATED_JSON, line, Expect.ERROR, null, 0);
    }

    private String wrongShape() {
        return pick(List.of("1", "-1", "1e999", "\"vm.list\"", "true", "null", "[]", "{}",
                "{\"jsonrpc\":\"2.0\"}", "\"\\u0000\"", "{\"a\":1} {\"b\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"vm.list\"} trailing",
                "{'jsonrpc':'2.0'}", "{jsonrpc:2.0}", "NaN", "Infinity", "{\"id\":1,\"method\":\"daemon.shutdown\"}",
                "\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.shutdown\",\"x\":", "{\"jsonrpc\":\"2.0\",\"id\":1,"
                        + "\"method\":\"daemon.shutdown\",\"params\":{\"force\":true}}"));
    }

    private Request badEnvelope(int i) {
        ObjectNode request = hostileCall(i);
        JsonNode id = request.get("id");
        switch (random.nextInt(9)) {
            case 0 -> request.remove("jsonrpc");
            case 1 -> request.put("jsonrpc", pick(List.of("1.0", "2", "2.0 ", "", "2.0\u0000")));
            case 2 -> request.put("jsonrpc", 2.0);
            case 3 -> {
                request.set("id", pick(List.of(nodes.objectNode(), nodes.arrayNode(), nodes.numberNode(1.5), nodes.booleanNode(true))));
                id = null;
            }
            case 4 -> request.remove("method");
            case 5 -> request.set("method", pick(List.of(nodes.numberNode(1), nodes.nullNode(), nodes.objectNode(),
                    nodes.arrayNode().add("vm.list"), nodes.booleanNode(false))));
            case 6 -> request.set("params", pick(List.of(nodes.arrayNode().add("x"), nodes.textNode("name=dev1"),
                    nodes.numberNode(7), nodes.booleanNode(true))));
            case 7 -> request.set("params", nodes.arrayNode());
            default -> {
                // Both faults at once: the answer's id cannot be trusted, so it is not checked.
                request.put("jsonrpc", "3.0");
                request.set("id", nodes.numberNode(1.25));
                id = null;
            }
        }
        return new Request(i, Kind.BAD_ENVELOPE, write(request), Expect.ERROR, id, 0);
    }

    private Request unknownMethod(int i) {
        String known = pick(METHOD_NAMES);
        String method = switch (random.nextInt(8)) {
            case 0 -> known.toUpperCase(java.util.Locale.ROOT);
            case 1 -> known + "\n";
            case 2 -> "../" + known;
            case 3 -> known + ";rm -rf /";
            case 4 -> known + "\u0000";
            case 5 -> pick(HOSTILE_NAMES);
            case 6 -> "rpc.discover";
            default -> known.substring(0, known.lastIndexOf('.'));
        };
        ObjectNode request = envelope(i, method);
        if (random.nextBoolean()) {
            request.putObject("params").put("name", "dev1");
        }
        return new Request(i, Kind.UNKNOWN_METHOD, write(request), Expect.ERROR, request.get("id"), 0);
    }

    private Request batch(int i) {
        ArrayNode batch = nodes.arrayNode();
        int size = 1 + random.nextInt(6);
        for (int k = 0; k < size; k++) {
            switch (random.nextInt(4)) {
                case 0 -> batch.add(pick(List.of(nodes.numberNode(k), nodes.textNode("x"), nodes.nullNode(), nodes.arrayNode())));
                default -> batch.add(hostileCall(i * 10 + k));
            }
        }
        return new Request(i, Kind.BATCH, write(batch), Expect.ERROR_BATCH, null, size);
    }

    private ObjectNode envelope(int i, String method) {
        ObjectNode request = nodes.objectNode();
        request.put("jsonrpc", "2.0");
        if (random.nextInt(4) == 0) {
            request.put("id", "fz-" + i + pick(List.of("", "\u0000", "é😀", "\n", "'; DROP TABLE vms; --")));
        } else {
            request.put("id", i);
        }
        request.put("method", method);
        return request;
    }

    /** A call of a real method whose params hold at least one value the daemon must refuse. */
    private ObjectNode hostileCall(int i) {
        String method = pick(METHOD_NAMES);
        ObjectNode request = envelope(i, method);
        Map<String, Field> fields = METHODS.get(method);
        ObjectNode params = nodes.objectNode();
        List<String> names = fields.keySet().stream().sorted().toList();
        for (String name : names) {
            if (random.nextInt(3) == 0) {
                params.set(name, anyValue(fields.get(name)));
            }
        }
        if (names.isEmpty() || random.nextInt(10) == 0) {
            params.set(pick(List.of("force", "../name", "name\u0000", "__proto__", "NAME", "x".repeat(300))), anyValue(Field.VM_NAME));
        } else {
            String poisoned = pick(names);
            params.set(poisoned, poison(method, fields.get(poisoned)));
        }
        request.set("params", params);
        return request;
    }

    /** A value the field must refuse, whatever the other parameters are. */
    private JsonNode poison(String method, Field field) {
        if (field == Field.VM_NAME && !method.equals("vm.create.begin") && random.nextInt(5) == 0
                || field == Field.IMAGE_NAME && !method.equals("image.build.begin") && !method.equals("image.register")
                        && random.nextInt(5) == 0) {
            // Well-formed but absent: refused as not found, after the daemon looked it up.
            return nodes.textNode("fz-missing-" + random.nextInt(1000));
        }
        return poisonValue(field);
    }

    private JsonNode poisonValue(Field field) {
        if (random.nextInt(8) == 0) {
            // Objects and arrays are never coerced to a scalar (Jackson does coerce 5 to "5" and "5" to 5).
            return random.nextBoolean() ? nodes.objectNode().put("$ne", "") : nodes.arrayNode().add("../etc");
        }
        return switch (field) {
            case VM_NAME, IMAGE_NAME -> nodes.textNode(hostileName());
            case VM_NAMES -> {
                ArrayNode list = nodes.arrayNode();
                int before = random.nextInt(3);
                for (int k = 0; k < before; k++) {
                    list.add("fz-" + k);
                }
                if (before == 0 && random.nextBoolean()) {
                    yield list; // empty: at least one name is required
                }
                yield list.add(hostileName());
            }
            case COUNT -> pick(List.of(nodes.numberNode(0), nodes.numberNode(-1), nodes.numberNode(Integer.MIN_VALUE),
                    nodes.numberNode(1_048_577 + random.nextInt(1 << 20)),
                    nodes.numberNode(Integer.MAX_VALUE), nodes.numberNode(Long.MAX_VALUE), nodes.numberNode(1L << 31),
                    nodes.numberNode(new BigInteger("123456789012345678901234567890")), nodes.numberNode(1e308),
                    nodes.numberNode(-1e308), nodes.numberNode(-0.5), nodes.textNode("-5"), nodes.textNode("1; reboot"),
                    nodes.textNode("0x10"), nodes.textNode("NaN")));
            case OFFSET -> pick(List.of(nodes.numberNode(-1), nodes.numberNode(Long.MIN_VALUE), nodes.textNode("-1"),
                    nodes.numberNode(new BigInteger("99999999999999999999999")), nodes.textNode("$(id)")));
            case OPERATION_ID -> pick(List.of(nodes.textNode("../../state.db"), nodes.textNode(""), nodes.textNode("1 OR 1=1"),
                    nodes.textNode(java.util.UUID.nameUUIDFromBytes(bytes("fz" + random.nextLong())).toString()),
                    nodes.textNode("00000000-0000-0000-0000-00000000000'"), nodes.textNode(hostileName())));
            case SIZE -> nodes.textNode(pick(List.of("-1G", "0", "0G", "1", "1e9", "999999T", "1P", "9E", "1.5", "abc",
                    "1G;rm -rf /", "10M", "1535M", "1025G", "18446744073709551617G", "NaN G", "", "$(id)G",
                    "-0.0001T", "0.00000000001K")));
            case CHOICE -> nodes.textNode(pick(List.of("../debian", "DEBIAN;id", "", "ubuntu", "$(id)", "dev\u0000",
                    "Dev", "minimal ", "/etc/passwd", "dev\nminimal")));
            case RELEASE -> nodes.textNode(pick(List.of("../../etc", "bookworm;id", "$(id)", "Bookworm", "", "a".repeat(40),
                    "bookworm/../../x", "bookworm\u0000", "-bookworm", "`id`", "bookworm\n")));
            case PATH -> nodes.textNode(pick(List.of("/etc/passwd", "/etc/shadow", "/../../../etc/shadow", "/dev/zero",
                    "/dev/null", "/proc/self/environ", "/", "/nonexistent/vmlinux", "relative/vmlinux", "", "/a\u0000b",
                    "~/vmlinux", "$(id)", "/dev/stdin", "/proc/self/fd/0", "/sys/kernel/notes", "../vmlinux")));
            case PORT_SPEC -> nodes.textNode(pick(List.of("0:22", "65536:22", "22:0", "-1:22", "2222:22/sctp", "2222:22/tcp;id",
                    "::1:2222:22", "256.0.0.1:2222:22", "127.0.0.1:2222", "2222:22 ", "$(id):22", "2222:22\n2223:22",
                    "1.2.3.4.5:2222:22", "0x7f.0.0.1:2222:22", "", "a".repeat(300))));
        };
    }

    /** Any value for a field, valid-looking or not; {@link #poison} is what makes the call invalid. */
    private JsonNode anyValue(Field field) {
        return switch (random.nextInt(5)) {
            case 0 -> poisonValue(field);
            case 1 -> nodes.textNode(pick(HOSTILE_STRINGS));
            case 2 -> pick(List.of(nodes.numberNode(random.nextInt()), nodes.numberNode(2), nodes.nullNode(),
                    nodes.booleanNode(random.nextBoolean())));
            case 3 -> field == Field.VM_NAMES ? nodes.arrayNode().add("fz-" + random.nextInt(100)) : nodes.textNode("fz-ok");
            default -> PATHS_AND_CHOICES.contains(field) ? nodes.textNode(pick(HOSTILE_STRINGS)) : nodes.textNode(hostileName());
        };
    }

    private String hostileName() {
        String name = pick(HOSTILE_NAMES);
        return random.nextInt(4) == 0 ? "fz-" + random.nextInt(1000) + name.substring(0, Math.min(name.length(), 5)) + "/" : name;
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] write(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A batch of {@code count} requests from {@code seed}, for callers that want them all at once. */
    static List<Request> take(long seed, int count) {
        HostileRequests generator = new HostileRequests(seed);
        List<Request> requests = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            requests.add(generator.next());
        }
        return requests;
    }
}
