package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The project's Firecracker API reference is fit for what the tests use it for: it describes every
 * call banger makes, closes every object to unknown fields like Firecracker does, and marks every
 * operation with the boot phase the fake enforces, matching the order banger sends things in.
 */
class FirecrackerReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode REFERENCE = ApiDocument.parse(ApiDocument.reference());
    private static final BootPhaseRules RULES = BootPhaseRules.of(REFERENCE);

    @Test
    void everyCallBangerMakesIsDescribed() {
        for (ApiCall call : callsBangerMakes()) {
            assertThat(RULES.describes(call.method(), call.path())).as("%s is in the reference", call).isTrue();
        }
    }

    @Test
    void everyObjectIsClosedToUnknownFieldsLikeFirecracker() {
        List<String> open = new ArrayList<>();
        REFERENCE.path("definitions").fields().forEachRemaining(definition -> {
            JsonNode schema = definition.getValue();
            if (schema.path("type").asText().equals("object") && !schema.path("additionalProperties").isBoolean()) {
                open.add(definition.getKey());
            }
            if (schema.path("additionalProperties").asBoolean(false)) {
                open.add(definition.getKey());
            }
        });

        assertThat(open).as("definitions without additionalProperties: false").isEmpty();
    }

    @Test
    void everyOperationAndActionHasAKnownBootPhase() {
        REFERENCE.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode operation = op.getValue();
            assertThat(operation.has(BootPhaseRules.PHASE)).as("%s %s has %s", op.getKey(), path.getKey(), BootPhaseRules.PHASE).isTrue();
            assertThatCode(() -> BootPhaseRules.Phase.parse(operation.get(BootPhaseRules.PHASE).asText())).doesNotThrowAnyException();
        }));
        JsonNode actions = REFERENCE.path("paths").path("/actions").path("put");
        List<String> actionTypes = new ArrayList<>();
        REFERENCE.path("definitions").path("InstanceActionInfo").path("properties").path("action_type").path("enum")
                .forEach(type -> actionTypes.add(type.asText()));
        assertThat(actionTypes).isNotEmpty();
        for (String type : actionTypes) {
            assertThat(actions.path(BootPhaseRules.ACTION_PHASES).has(type)).as("action %s has a phase", type).isTrue();
        }
        assertThat(actions.path(BootPhaseRules.BOOT_ACTION).asText()).isEqualTo("InstanceStart");
    }

    @Test
    void bangersConfigurationIsTakenOnlyBeforeBootAndItsStopOnlyAfter() {
        List<ApiCall> configure = FirecrackerPlan.configure(Specs.full(Path.of("/var/lib/banger/vms/dev1")));
        ApiCall start = configure.getLast();
        assertThat(start).isEqualTo(FirecrackerPlan.start());

        for (ApiCall call : configure.subList(0, configure.size() - 1)) {
            JsonNode body = JSON.valueToTree(call.body());
            assertThat(RULES.refusal(call.method(), call.path(), body, false)).as("%s before boot", call).isEmpty();
            assertThat(RULES.refusal(call.method(), call.path(), body, true)).as("%s after boot", call).isPresent();
            assertThat(RULES.boots(call.method(), call.path(), body)).as("%s boots", call).isFalse();
        }
        JsonNode startBody = JSON.valueToTree(start.body());
        assertThat(RULES.refusal(start.method(), start.path(), startBody, false)).isEmpty();
        assertThat(RULES.refusal(start.method(), start.path(), startBody, true)).isPresent();
        assertThat(RULES.boots(start.method(), start.path(), startBody)).isTrue();

        ApiCall stop = FirecrackerPlan.ctrlAltDel();
        JsonNode stopBody = JSON.valueToTree(stop.body());
        assertThat(RULES.refusal(stop.method(), stop.path(), stopBody, false)).isPresent();
        assertThat(RULES.refusal(stop.method(), stop.path(), stopBody, true)).isEmpty();
        assertThat(RULES.boots(stop.method(), stop.path(), stopBody)).isFalse();
    }

    @Test
    void bangersRestoreIsTakenOnlyByAFreshProcessAndItsResumePauseAndSnapshotOnlyAfter() {
        List<ApiCall> restore = restoreCalls();
        BootPhaseRules.State state = BootPhaseRules.State.NEW;
        for (ApiCall call : restore) {
            JsonNode body = JSON.valueToTree(call.body());
            assertThat(RULES.refusal(call.method(), call.path(), body, state)).as("%s in %s", call, state).isEmpty();
            state = RULES.after(call.method(), call.path(), body, state);
        }
        assertThat(state).as("loaded, paused").isEqualTo(new BootPhaseRules.State(false, true, true));
        ApiCall load = restore.getLast();
        JsonNode loadBody = JSON.valueToTree(load.body());
        assertThat(RULES.refusal(load.method(), load.path(), loadBody, new BootPhaseRules.State(false, false, false)))
                .as("after configuration").isPresent();

        for (ApiCall runtime : List.of(FirecrackerPlan.resumeLoaded(), FirecrackerPlan.pause(),
                FirecrackerPlan.rereadDrive("work", "/drives/work"))) {
            JsonNode body = JSON.valueToTree(runtime.body());
            assertThat(RULES.refusal(runtime.method(), runtime.path(), body, BootPhaseRules.State.NEW)).as("%s before boot", runtime).isPresent();
            assertThat(RULES.refusal(runtime.method(), runtime.path(), body, state)).as("%s after the load", runtime).isEmpty();
        }
        ApiCall create = FirecrackerPlan.createSnapshot("/snapshot/state", "/snapshot/memory");
        JsonNode createBody = JSON.valueToTree(create.body());
        assertThat(RULES.refusal(create.method(), create.path(), createBody, BootPhaseRules.State.RUNNING)).as("running").isPresent();
        BootPhaseRules.State paused = RULES.after("PATCH", "/vm", JSON.valueToTree(FirecrackerPlan.pause().body()),
                BootPhaseRules.State.RUNNING);
        assertThat(RULES.refusal(create.method(), create.path(), createBody, paused)).as("paused").isEmpty();
    }

    private static List<ApiCall> restoreCalls() {
        Path vmDir = Path.of("/var/lib/banger/vms/dev1");
        return FirecrackerPlan.restore(Specs.full(vmDir), new FirecrackerLayout(vmDir), vmDir.resolve("snapshot/state"),
                vmDir.resolve("snapshot/memory"));
    }

    private static List<ApiCall> callsBangerMakes() {
        List<ApiCall> calls = new ArrayList<>(FirecrackerPlan.configure(Specs.full(Path.of("/var/lib/banger/vms/dev1"))));
        calls.add(FirecrackerPlan.ctrlAltDel());
        calls.addAll(restoreCalls());
        calls.add(FirecrackerPlan.resumeLoaded());
        calls.add(FirecrackerPlan.pause());
        calls.add(FirecrackerPlan.createSnapshot("/snapshot/state", "/snapshot/memory"));
        calls.add(FirecrackerPlan.rereadDrive("work", "/drives/work"));
        return calls;
    }
}
