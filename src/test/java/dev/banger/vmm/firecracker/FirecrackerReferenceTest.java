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

    private static List<ApiCall> callsBangerMakes() {
        List<ApiCall> calls = new ArrayList<>(FirecrackerPlan.configure(Specs.full(Path.of("/var/lib/banger/vms/dev1"))));
        calls.add(FirecrackerPlan.ctrlAltDel());
        return calls;
    }
}
