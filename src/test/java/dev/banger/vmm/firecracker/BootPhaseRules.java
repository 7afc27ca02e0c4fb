package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When Firecracker takes each request, as the reference document's {@code x-banger-phase},
 * {@code x-banger-action-phases} and {@code x-banger-boot-action} extensions say: most
 * configuration only before the machine boots, some actions only after. Firecracker refuses a
 * request in the wrong phase with 400, so {@link FakeFirecrackerApi} does too. An operation
 * without the extension is taken in any phase ({@link FirecrackerReferenceTest} proves the
 * reference marks every one). Immutable and thread-safe.
 */
final class BootPhaseRules {
    static final String PHASE = "x-banger-phase";
    static final String ACTION_PHASES = "x-banger-action-phases";
    static final String BOOT_ACTION = "x-banger-boot-action";

    /** When a request is taken. */
    enum Phase {
        PRE_BOOT, POST_BOOT, ANY;

        static Phase parse(String text) {
            return switch (text) {
                case "pre-boot" -> PRE_BOOT;
                case "post-boot" -> POST_BOOT;
                case "any" -> ANY;
                default -> throw new IllegalArgumentException("unknown boot phase '" + text
                        + "' (expected pre-boot, post-boot or any)");
            };
        }

        boolean allows(boolean booted) {
            return this == ANY || (this == POST_BOOT) == booted;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One operation: its path template as a pattern, its phase, and per-action phases if any. */
    private record Rule(String method, String template, Pattern path, Phase phase, Map<String, Phase> actions,
            Optional<String> bootAction) {}

    private final List<Rule> rules;

    private BootPhaseRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of an API document parsed with {@link ApiDocument#parse}. */
    static BootPhaseRules of(JsonNode document) {
        List<Rule> rules = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode operation = op.getValue();
                Map<String, Phase> actions = new HashMap<>();
                operation.path(ACTION_PHASES).fields()
                        .forEachRemaining(a -> actions.put(a.getKey(), Phase.parse(a.getValue().asText())));
                rules.add(new Rule(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), template(path.getKey()),
                        operation.has(PHASE) ? Phase.parse(operation.get(PHASE).asText()) : Phase.ANY,
                        Map.copyOf(actions),
                        Optional.ofNullable(operation.get(BOOT_ACTION)).map(JsonNode::asText)));
            }
        }
        return new BootPhaseRules(rules);
    }

    /** Why Firecracker would refuse this request in this phase, or empty when it takes it. */
    Optional<String> refusal(String method, String path, JsonNode body, boolean booted) {
        Optional<Rule> rule = find(method, path);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        String now = booted ? "after InstanceStart" : "before InstanceStart";
        if (!rule.get().phase().allows(booted)) {
            return Optional.of(method + " " + rule.get().template() + " is " + rule.get().phase().label()
                    + " only, but came " + now);
        }
        String action = body.path("action_type").asText();
        Phase actionPhase = rule.get().actions().getOrDefault(action, Phase.ANY);
        if (!actionPhase.allows(booted)) {
            return Optional.of("action " + action + " is " + actionPhase.label() + " only, but came " + now);
        }
        return Optional.empty();
    }

    /** Whether this request, once answered 204, boots the machine. */
    boolean boots(String method, String path, JsonNode body) {
        return find(method, path)
                .flatMap(Rule::bootAction)
                .filter(action -> action.equals(body.path("action_type").asText()))
                .isPresent();
    }

    /** Whether the document has an operation for this method and concrete path. */
    boolean describes(String method, String path) {
        return find(method, path).isPresent();
    }

    private Optional<Rule> find(String method, String path) {
        return rules.stream().filter(r -> r.method().equals(method) && r.path().matcher(path).matches()).findFirst();
    }

    /** {@code /drives/{drive_id}} matches {@code /drives/root}: a parameter is one path segment. */
    private static Pattern template(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
