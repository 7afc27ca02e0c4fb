package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.bench.BenchReport;
import dev.banger.model.DaemonStatus;
import dev.banger.model.DoctorReport;
import dev.banger.model.HealthReport;
import dev.banger.model.Image;
import dev.banger.model.ImageDetails;
import dev.banger.model.Operation;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmPorts;
import dev.banger.model.VmList;
import dev.banger.model.VmStats;
import dev.banger.rpc.Json;
import dev.banger.runtime.ArtifactStatus;
import dev.banger.runtime.BundleLocation;
import dev.banger.runtime.BundlePackager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docs/json.md} is the interface scripts rely on: every {@code --json} command, the shapes it
 * prints and the words of every enum in them. These tests derive the same from the code — the
 * commands from picocli's tree, the shapes through the serializers of the mapper the CLI prints
 * with — and fail when the two differ, so a shape never changes unnoticed.
 */
class JsonShapesTest {
    private static final String UPDATE = "update " + JsonShapes.DOCUMENT + " to match (a removed or renamed field, or a"
            + " changed type, is a breaking change for scripts: note it under its Changes section)";

    /** What each {@code --json} command prints: one shape, or the alternatives it chooses between. */
    static final Map<String, List<Class<?>>> COMMANDS = commands();

    /** Names for the classes whose own say nothing in the document. */
    static final Map<Class<?>, String> NAMES = Map.ofEntries(
            Map.entry(DaemonStatusCommand.NotRunning.class, "DaemonNotRunning"),
            Map.entry(ImageDeleteCommand.Deleted.class, "ImageDeleted"),
            Map.entry(ImageListCommand.ImageList.class, "ImageList"),
            Map.entry(ImageSnapshotCommand.Deleted.class, "SnapshotsDeleted"),
            Map.entry(RuntimeBootstrapCommand.Json.class, "RuntimeBootstrap"),
            Map.entry(RuntimeInstallCommand.Json.class, "RuntimeInstall"),
            Map.entry(RuntimeStatusCommand.Json.class, "RuntimeStatus"),
            Map.entry(BundlePackager.Packaged.class, "RuntimePackage"),
            Map.entry(ArtifactStatus.State.class, "ArtifactState"),
            Map.entry(BundleLocation.Origin.class, "BundleOrigin"),
            Map.entry(VmCreateCommand.Created.class, "VmCreated"),
            Map.entry(VmCreateCommand.Started.class, "VmCreateStarted"),
            Map.entry(HealthReport.Status.class, "HealthStatus"),
            Map.entry(BenchReport.Json.class, "BenchReport"));

    private static Map<String, List<Class<?>>> commands() {
        Map<String, List<Class<?>>> commands = new LinkedHashMap<>();
        commands.put("banger daemon start", List.of(DaemonStatus.class));
        commands.put("banger daemon status", List.of(DaemonStatus.class, DaemonStatusCommand.NotRunning.class));
        commands.put("banger doctor", List.of(DoctorReport.class));
        commands.put("banger image build", List.of(Operation.class));
        commands.put("banger image delete", List.of(ImageDeleteCommand.Deleted.class));
        commands.put("banger image list", List.of(ImageListCommand.ImageList.class));
        commands.put("banger image promote", List.of(Image.class));
        commands.put("banger image rebuild-rootfs", List.of(Operation.class));
        commands.put("banger image register", List.of(Image.class));
        commands.put("banger image show", List.of(ImageDetails.class));
        commands.put("banger image snapshot", List.of(Operation.class, ImageSnapshotCommand.Deleted.class));
        commands.put("banger image verify", List.of(Operation.class));
        commands.put("banger runtime bootstrap", List.of(RuntimeBootstrapCommand.Json.class));
        commands.put("banger runtime install", List.of(RuntimeInstallCommand.Json.class));
        commands.put("banger runtime package", List.of(BundlePackager.Packaged.class));
        commands.put("banger runtime status", List.of(RuntimeStatusCommand.Json.class));
        commands.put("banger vm create", List.of(VmCreateCommand.Created.class, VmCreateCommand.Started.class));
        commands.put("banger vm delete", List.of(VmDeleteResult.class));
        commands.put("banger vm edit", List.of(VmInfo.class));
        commands.put("banger vm health", List.of(HealthReport.class));
        commands.put("banger vm list", List.of(VmList.class));
        commands.put("banger vm port add", List.of(VmPorts.class));
        commands.put("banger vm port list", List.of(VmPorts.class));
        commands.put("banger vm port rm", List.of(VmPorts.class));
        commands.put("banger vm restart", List.of(VmInfo.class));
        commands.put("banger vm share", List.of(VmInfo.class));
        commands.put("banger vm show", List.of(VmInfo.class));
        commands.put("banger vm start", List.of(VmInfo.class));
        commands.put("banger vm stats", List.of(VmStats.class));
        commands.put("banger vm stop", List.of(VmInfo.class));
        commands.put("banger vm unshare", List.of(VmInfo.class));
        commands.put("banger bench create", List.of(BenchReport.Json.class));
        return commands;
    }

    @Test
    void everyCommandWithJsonIsOneThisTestKnows() {
        Set<String> found = new TreeSet<>();
        collect(BangerMain.commandLine(), found);

        assertThat(found).as("the commands with --json; a new one goes into JsonShapesTest.COMMANDS and " + JsonShapes.DOCUMENT)
                .isEqualTo(new TreeSet<>(COMMANDS.keySet()));
    }

    @Test
    void theDocumentListsEveryCommandWithWhatItPrints() {
        JsonShapes shapes = new JsonShapes(Json.mapper(), NAMES);
        Map<String, List<String>> derived = new LinkedHashMap<>();
        COMMANDS.forEach((command, types) -> derived.put(command, types.stream().map(shapes::name).toList()));

        JsonShapes.Document document = JsonShapes.read(JsonShapes.document());

        assertThat(document.commands()).as(UPDATE + "; its commands block should read:\n"
                + JsonShapes.block("commands", null, derived.entrySet().stream()
                        .map(e -> e.getKey() + " --json  " + String.join(" | ", e.getValue())).toList()))
                .containsExactlyEntriesOf(derived);
    }

    @Test
    void theDocumentedShapesAreTheOnesTheCommandsPrint() {
        JsonShapes shapes = new JsonShapes(Json.mapper(), NAMES);
        COMMANDS.values().forEach(types -> types.forEach(shapes::derive));
        JsonShapes.Document document = JsonShapes.read(JsonShapes.document());
        List<String> wrong = new ArrayList<>();

        shapes.blocks().forEach((name, lines) -> {
            String kind = shapes.isEnum(name) ? "enum" : "shape";
            List<String> documented = (shapes.isEnum(name) ? document.enums() : document.shapes()).get(name);
            // The order of fields is not part of the interface; what they are is.
            if (documented == null) {
                wrong.add(kind + " " + name + " is not documented; the code prints:\n" + JsonShapes.block(kind, name, lines));
            } else if (!new TreeSet<>(lines).equals(new TreeSet<>(documented))) {
                wrong.add(kind + " " + name + " differs: in the code, not the document " + minus(lines, documented)
                        + "; in the document, not the code " + minus(documented, lines) + "; the code prints:\n"
                        + JsonShapes.block(kind, name, lines));
            }
        });
        Set<String> stale = new TreeSet<>(document.shapes().keySet());
        stale.addAll(document.enums().keySet());
        stale.removeAll(shapes.blocks().keySet());
        stale.forEach(name -> wrong.add("documented, but no --json command prints it any more: " + name));

        assertThat(wrong).as(UPDATE + ". Where the block is right but the code is not, fix the code instead")
                .isEmpty();
    }

    /** A value of a declared field type, and the type the document gives that field. */
    private record Sample(Class<?> declared, Object value, String type) {}

    @Test
    void theLeafTypesAreWrittenAsTheDocumentSays() {
        List<Sample> samples = List.of(
                new Sample(String.class, "text", "string"),
                new Sample(Path.class, Path.of("/var/lib/banger"), "string"),
                new Sample(Instant.class, Instant.parse("2026-12-05T10:00:00Z"), "timestamp"),
                new Sample(int.class, 7, "integer"),
                new Sample(Long.class, 7L << 40, "integer"),
                new Sample(Double.class, 2.5, "number"),
                new Sample(Duration.class, Duration.ofMillis(3500), "number"),
                new Sample(boolean.class, true, "boolean"));

        for (Sample sample : samples) {
            assertThat(JsonShapes.leaf(sample.declared())).as(sample.declared().getName()).isEqualTo(sample.type());
            JsonNode node = Json.mapper().valueToTree(sample.value());
            boolean matches = switch (sample.type()) {
                case "string" -> node.isTextual() && node.textValue().equals(sample.value().toString());
                case "timestamp" -> node.isTextual() && Instant.parse(node.textValue()).equals(sample.value());
                case "integer" -> node.isIntegralNumber();
                case "number" -> node.isNumber();
                default -> node.isBoolean();
            };
            assertThat(matches).as(sample.value() + " is written as " + node + ", not a JSON " + sample.type()).isTrue();
        }
        assertThat(Json.mapper().valueToTree(Duration.ofMillis(3500)).doubleValue()).as("durations in seconds").isEqualTo(3.5);
    }

    private static List<String> minus(List<String> from, List<String> taken) {
        return from.stream().filter(line -> !taken.contains(line)).toList();
    }

    private static void collect(CommandLine command, Set<String> into) {
        if (command.getCommandSpec().findOption("--json") != null) {
            into.add(command.getCommandSpec().qualifiedName());
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
