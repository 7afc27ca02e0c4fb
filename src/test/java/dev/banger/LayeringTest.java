package dev.banger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which top-level package under {@code dev.banger} may import which, checked on the compiled main
 * classes (tests may reach anywhere). A subpackage belongs to its parent ({@code vmm.qemu} is
 * {@code vmm}). The table is the layering: a package not on its row is out of bounds, and the rows
 * themselves must not form a cycle, so no import can go from a lower layer to a higher one.
 */
class LayeringTest {
    /** Each package and the packages it may import, from the top layer down. */
    private static final Map<String, Set<String>> MAY_IMPORT = table(
            row("cli", "daemon", "bench", "rpc", "runtime", "host", "config", "model"),
            row("daemon", "vm", "image", "doctor", "vmm", "store", "rpc", "runtime", "host", "config", "model"),
            row("vm", "capability", "image", "agent", "dns", "guestconfig", "vmm", "store", "host", "config", "model"),
            row("capability", "guestconfig", "vmm", "host", "model"),
            row("image", "runtime", "store", "host", "config", "model"),
            row("doctor", "runtime", "host", "config", "model"),
            row("vmm", "host", "io", "config", "model"),
            row("runtime", "host", "config", "model"),
            row("agent", "io", "model"),
            row("bench", "model"),
            row("dns", "model"),
            row("rpc", "io", "model"),
            row("store", "model"),
            row("guestconfig", "model"),
            row("host", "config", "model"),
            row("config", "model"),
            row("io"),
            row("model"));

    /** vm's own subpackages, lowest first: each may import only those before it (and anything {@code vm} may). */
    private static final List<String> VM_LAYERS = List.of("state", "host", "snapshot", "boot", "warm", "create");
    /** A newcomer reads a vm class whole; the VM layer's redesign (issue #20) keeps each this short. */
    private static final int MAX_VM_CLASS_LINES = 300;

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() throws URISyntaxException {
        // The main classes' own location, so test classes (which may reach anywhere) stay out; and
        // only banger's own, not picocli's, which the build compiles in beside them.
        Path classes = Path.of(ErrorKind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        main = new ClassFileImporter().importPath(classes).that(JavaClass.Predicates.resideInAPackage("dev.banger.."));
    }

    @Test
    void noPackageImportsOneItsRowDoesNotName() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : MAY_IMPORT.keySet()) {
            layers = layers.layer(name).definedBy("dev.banger." + name + "..");
        }
        for (Map.Entry<String, Set<String>> row : MAY_IMPORT.entrySet()) {
            String[] allowed = row.getValue().toArray(String[]::new);
            layers = allowed.length == 0
                    ? layers.whereLayer(row.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(row.getKey()).mayOnlyAccessLayers(allowed);
        }
        layers.because("a lower layer must not import a higher one (issue #20); see LayeringTest's table").check(main);
    }

    @Test
    void everyPackageHasARow() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass type : main) {
            packages.add(topLevel(type.getPackageName()));
        }

        assertThat(MAY_IMPORT.keySet()).as("packages under dev.banger with a row in LayeringTest").containsAll(packages);
    }

    @Test
    void theTableIsLayeredWithoutCycles() {
        // Peel off packages that import nothing left; a cycle is what remains when none can be peeled.
        Map<String, Set<String>> left = new LinkedHashMap<>();
        MAY_IMPORT.forEach((name, imports) -> left.put(name, new TreeSet<>(imports)));
        boolean peeled = true;
        while (peeled) {
            List<String> bottom = left.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
            bottom.forEach(left::remove);
            left.values().forEach(imports -> imports.removeAll(bottom));
            peeled = !bottom.isEmpty();
        }

        assertThat(left).as("rows that import each other").isEmpty();
        MAY_IMPORT.values().forEach(imports -> assertThat(MAY_IMPORT.keySet()).containsAll(imports));
    }

    @Test
    void vmSubpackagesImportOnlyDownward() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String sub : VM_LAYERS) {
            layers = layers.layer(sub).definedBy("dev.banger.vm." + sub + "..");
        }
        for (int i = 0; i < VM_LAYERS.size(); i++) {
            String[] below = VM_LAYERS.subList(0, i).toArray(String[]::new);
            layers = below.length == 0
                    ? layers.whereLayer(VM_LAYERS.get(i)).mayNotAccessAnyLayer()
                    : layers.whereLayer(VM_LAYERS.get(i)).mayOnlyAccessLayers(below);
        }
        layers.because("vm's subpackages import only the ones below them (see docs/architecture.md)").check(main);
    }

    @Test
    void noClassInVmIsLongerThan300Lines() throws IOException {
        Map<Path, Long> tooLong = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/dev/banger/vm"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> text = Files.lines(source)) {
                    lines = text.count();
                }
                if (lines > MAX_VM_CLASS_LINES) {
                    tooLong.put(source, lines);
                }
            }
        }

        assertThat(tooLong).as("vm classes over " + MAX_VM_CLASS_LINES + " lines: split them by concern").isEmpty();
    }

    @Test
    void onlyHostStartsProcesses() {
        noClasses().that().resideOutsideOfPackage("dev.banger.host..")
                .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .because("host is the one place that runs programs: argv lists, failures naming the command")
                .check(main);
    }

    /** {@code vmm} for {@code dev.banger.vmm.qemu}. */
    private static String topLevel(String packageName) {
        String rest = packageName.startsWith("dev.banger.") ? packageName.substring("dev.banger.".length()) : packageName;
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static List<String> row(String name, String... mayImport) {
        List<String> row = new ArrayList<>();
        row.add(name);
        row.addAll(Arrays.asList(mayImport));
        return row;
    }

    @SafeVarargs
    private static Map<String, Set<String>> table(List<String>... rows) {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (List<String> row : rows) {
            table.put(row.getFirst(), Set.copyOf(row.subList(1, row.size())));
        }
        return table;
    }
}
