package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When Firecracker takes each request, as the reference document's {@code x-banger-phase},
 * {@code x-banger-action-phases} and {@code x-banger-boot-action} extensions say: most
 * configuration only before the machine boots, some actions only after. A snapshot load has
 * rules of its own ({@code x-banger-fresh-only}, {@code x-banger-keeps-fresh},
 * {@code x-banger-boots}), and so have the pause and the snapshot ({@code x-banger-sets-state},
 * {@code x-banger-paused-only}); {@link State} is what they look at. Firecracker refuses a request
 * in the wrong phase with 400, so {@link FakeFirecrackerApi} does too. An operation without the
 * extension is taken in any phase ({@link FirecrackerReferenceTest} proves the reference marks
 * every one). Immutable and thread-safe.
 */
final class BootPhaseRules {
    static final String PHASE = "x-banger-phase";
    static final String ACTION_PHASES = "x-banger-action-phases";
    static final String BOOT_ACTION = "x-banger-boot-action";
    static final String FRESH_ONLY = "x-banger-fresh-only";
    static final String KEEPS_FRESH = "x-banger-keeps-fresh";
    static final String BOOTS = "x-banger-boots";
    static final String PAUSED_ONLY = "x-banger-paused-only";
    static final String SETS_STATE = "x-banger-sets-state";

    /**
     * What one Firecracker process has been through, as far as the rules care.
     *
     * @param fresh  nothing but requests that keep it fresh (logger, metrics) taken yet
     * @param booted booted, or loaded from a snapshot: past the pre-boot phase
     * @param paused its vCPUs are paused (loaded without resume_vm, or PATCH /vm Paused)
     */
    record State(boolean fresh, boolean booted, boolean paused) {
        /** A process just started. */
        static final State NEW = new State(true, false, false);
        /** A configured process that took InstanceStart. */
        static final State RUNNING = new State(false, true, false);
    }

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
            Optional<String> bootAction, Set<String> flags) {}

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
                        Optional.ofNullable(operation.get(BOOT_ACTION)).map(JsonNode::asText),
                        flags(operation)));
            }
        }
        return new BootPhaseRules(rules);
    }

    private static Set<String> flags(JsonNode operation) {
        Set<String> flags = new HashSet<>();
        for (String flag : List.of(FRESH_ONLY, KEEPS_FRESH, BOOTS, PAUSED_ONLY, SETS_STATE)) {
            if (operation.path(flag).asBoolean(false)) {
                flags.add(flag);
            }
        }
        return Set.copyOf(flags);
    }

    /** Why Firecracker would refuse this request before ({@code booted} false, a new process) or after boot. */
    Optional<String> refusal(String method, String path, JsonNode body, boolean booted) {
        return refusal(method, path, body, booted ? State.RUNNING : State.NEW);
    }

    /** Why Firecracker would refuse this request in this state, or empty when it takes it. */
    Optional<String> refusal(String method, String path, JsonNode body, State state) {
        Optional<Rule> rule = find(method, path);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        boolean booted = state.booted();
        String now = booted ? "after InstanceStart or a snapshot load" : "before InstanceStart or a snapshot load";
        String what = method + " " + rule.get().template();
        if (!rule.get().phase().allows(booted)) {
            return Optional.of(what + " is " + rule.get().phase().label() + " only, but came " + now);
        }
        if (rule.get().flags().contains(FRESH_ONLY) && !state.fresh()) {
            return Optional.of(what + " is only taken by a fresh process, but came after other configuration");
        }
        if (rule.get().flags().contains(PAUSED_ONLY) && !state.paused()) {
            return Optional.of(what + " is only taken while the machine is paused, but its vCPUs run");
        }
        String action = body.path("action_type").asText();
        Phase actionPhase = rule.get().actions().getOrDefault(action, Phase.ANY);
        if (!actionPhase.allows(booted)) {
            return Optional.of("action " + action + " is " + actionPhase.label() + " only, but came " + now);
        }
        return Optional.empty();
    }

    /** The state after Firecracker answered this request 204 in {@code state}. */
    State after(String method, String path, JsonNode body, State state) {
        Optional<Rule> rule = find(method, path);
        if (rule.isEmpty()) {
            return state;
        }
        Set<String> flags = rule.get().flags();
        boolean fresh = state.fresh() && flags.contains(KEEPS_FRESH);
        if (boots(method, path, body)) {
            return new State(fresh, true, false);
        }
        if (flags.contains(BOOTS)) {
            return new State(fresh, true, !body.path("resume_vm").asBoolean(false));
        }
        if (flags.contains(SETS_STATE)) {
            return new State(fresh, state.booted(), body.path("state").asText().equals("Paused"));
        }
        return new State(fresh, state.booted(), state.paused());
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
