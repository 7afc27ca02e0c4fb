package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.model.CheckResult;
import dev.banger.model.DoctorReport;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.StageState;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.model.WireNames;
import dev.banger.rpc.Json;
import dev.banger.store.StoredJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The words of the enums {@code --json} prints are the text output's words, and both the wire's
 * mapper and the store's still read the upper-case names that banger wrote before.
 */
class JsonWordsTest {
    private static final List<ObjectMapper> MAPPERS = List.of(Json.mapper(), StoredJson.mapper());

    /** Every enum a {@code --json} command prints, found as {@link JsonShapesTest} finds the shapes. */
    private static Set<Class<? extends Enum<?>>> printedEnums() {
        Set<Class<? extends Enum<?>>> enums = new LinkedHashSet<>();
        JsonShapes shapes = new JsonShapes(Json.mapper(), JsonShapesTest.NAMES);
        JsonShapesTest.COMMANDS.values().forEach(types -> types.forEach(shapes::derive));
        shapes.enumTypes().forEach(enums::add);
        return enums;
    }

    @Test
    void everyPrintedEnumIsWrittenAsItsLowerCaseHyphenatedWord() throws Exception {
        Set<Class<? extends Enum<?>>> enums = printedEnums();
        List<String> wrong = new ArrayList<>();
        for (Class<? extends Enum<?>> type : enums) {
            for (Enum<?> constant : type.getEnumConstants()) {
                for (ObjectMapper mapper : MAPPERS) {
                    String written = mapper.writeValueAsString(constant);
                    if (!written.equals("\"" + WireNames.of(constant) + "\"")) {
                        wrong.add(type.getName() + "." + constant.name() + " is written as " + written);
                    }
                }
            }
        }

        assertThat(enums).as("the enums --json prints").contains(VmState.class, StageState.class).hasSizeGreaterThan(8);
        assertThat(wrong).as("give the enum a @JsonValue wireName() returning WireNames.of(this)").isEmpty();
    }

    @Test
    void everyPrintedEnumReadsItsWordAndTheOldUpperCaseName() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Class<? extends Enum<?>> type : printedEnums()) {
            for (Enum<?> constant : type.getEnumConstants()) {
                for (ObjectMapper mapper : MAPPERS) {
                    for (String text : List.of(WireNames.of(constant), constant.name())) {
                        Object read = mapper.readValue("\"" + text + "\"", type);
                        if (read != constant) {
                            wrong.add(type.getName() + ": \"" + text + "\" reads as " + read);
                        }
                    }
                }
            }
        }

        assertThat(wrong).as("give the enum a @JsonCreator fromWireName(String) calling WireNames.parse").isEmpty();
    }

    @Test
    void anUnknownWordIsRefusedNamingTheWordsThatExist() {
        for (ObjectMapper mapper : MAPPERS) {
            assertThatThrownBy(() -> mapper.readValue("\"sleeping\"", VmState.class))
                    .hasMessageContaining("unknown VmState 'sleeping'")
                    .hasMessageContaining("creating, running, stopped, failed, deleting");
        }
        assertThatThrownBy(() -> WireNames.parse(VmState.class, "Running")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void doctorsTextPrintsTheJsonsWordsAFailureInCapitals() {
        DoctorReport report = new DoctorReport(List.of(CheckResult.ok("kvm", "usable"),
                CheckResult.warn("dns", "no resolver", "install one"), CheckResult.fail("bridge", "missing", "create it")));
        StringWriter text = new StringWriter();

        DoctorCommand.render(report, new PrintWriter(text));

        JsonNode checks = Json.mapper().valueToTree(report).get("checks");
        assertThat(checks.findValuesAsText("status")).containsExactly("ok", "warn", "fail");
        assertThat(text.toString()).containsPattern("(?m)^ok +kvm +usable$").containsPattern("(?m)^warn +dns +no resolver$")
                .containsPattern("(?m)^FAIL +bridge +missing$");
    }

    @Test
    void anOlderDaemonsAnswerIsPrintedWithTheNewWords() throws Exception {
        String vm = """
                {"name":"dev1","image":"default","state":"RUNNING","vcpus":2,"memoryMib":1024,"diskBytes":8589934592,
                 "ip":null,"mac":null,"vsockCid":3,"dnsName":null,"vmm":"qemu","acceleration":null,"pid":null,"tap":null,
                 "rootDisk":null,"vmDir":null,"createdAt":null,"updatedAt":null}""";
        String operation = """
                {"id":"op-1","kind":"VM_CREATE","target":"dev1","state":"FAILED","error":"boot timed out",
                 "startedAt":"2026-12-05T10:00:00Z","endedAt":"2026-12-05T10:01:00Z",
                 "stages":[{"name":"allocate","order":0,"state":"ROLLED_BACK","startedAt":null,"endedAt":null,"error":null}]}""";

        VmInfo info = Json.mapper().readValue(vm, VmInfo.class);
        Operation op = Json.mapper().readValue(operation, Operation.class);

        assertThat(info.state()).isEqualTo(VmState.RUNNING);
        assertThat(op.kind()).isEqualTo(OperationKind.VM_CREATE);
        assertThat(op.state()).isEqualTo(OperationState.FAILED);
        JsonNode printed = Json.mapper().readTree(Json.mapper().writeValueAsString(new VmCreateCommand.Created(op, info)));
        assertThat(printed.at("/vm/state").textValue()).isEqualTo("running");
        assertThat(printed.at("/operation/kind").textValue()).isEqualTo("vm-create");
        assertThat(printed.at("/operation/state").textValue()).isEqualTo("failed");
        assertThat(printed.at("/operation/stages/0/state").textValue()).isEqualTo("rolled-back");
    }
}
