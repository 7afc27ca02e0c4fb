package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.banger.cli.CompletionModel.Kind;
import dev.banger.cli.CompletionModel.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class CompletionScriptsTest {
    private static final CompletionModel MODEL = CompletionModel.of(CommandTree.full());
    private static final Pattern SPEC_ARM = Pattern.compile(
            "(?m)^    '([^']*)'\\)\\n        subs='([^']*)' flags='([^']*)' valued='([^']*)' pos='([^']*)' count=(\\d+)$");

    @TempDir
    Path dir;

    /** Every visible command of picocli's own tree, by path ("" for the root), read apart from the model. */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        walk(CommandTree.full(), "", all);
        return all;
    }

    private static void walk(CommandLine command, String path, Map<String, CommandLine> all) {
        all.put(path, command);
        command.getSubcommands().forEach((name, child) -> {
            if (!child.getCommandSpec().usageMessage().hidden()) {
                walk(child, (path + " " + name).strip(), all);
            }
        });
    }

    private static List<String> visibleChildren(CommandLine command) {
        return command.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(Map.Entry::getKey).toList();
    }

    private static List<String> optionNames(CommandLine command) {
        return command.getCommandSpec().options().stream().filter(o -> !o.hidden())
                .flatMap(o -> Arrays.stream(o.names())).toList();
    }

    /** The bash script's spec arms: path → [subs, flags, valued, pos, count]. */
    private static Map<String, List<String>> specArms(String script) {
        Map<String, List<String>> arms = new LinkedHashMap<>();
        Matcher m = SPEC_ARM.matcher(script);
        while (m.find()) {
            arms.put(m.group(1), List.of(m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
        }
        return arms;
    }

    private static Node node(String path) {
        return MODEL.nodes().stream().filter(n -> n.pathText().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void bashAndZshHoldEveryCommandWithItsSubcommandsAndFlags() {
        for (String script : List.of(BashCompletion.script(MODEL), ZshCompletion.script(MODEL))) {
            Map<String, List<String>> arms = specArms(script);
            Map<String, CommandLine> commands = commands();

            assertThat(arms.keySet()).containsExactlyInAnyOrderElementsOf(commands.keySet());
            commands.forEach((path, command) -> {
                List<String> arm = arms.get(path);
                assertThat(arm.get(0).isEmpty() ? List.<String>of() : List.of(arm.get(0).split(" ")))
                        .as("subcommands of '%s'", path).containsExactlyInAnyOrderElementsOf(visibleChildren(command));
                assertThat(arm.get(1).split(" ")).as("flags of '%s'", path)
                        .containsExactlyInAnyOrderElementsOf(optionNames(command));
                for (OptionSpec option : command.getCommandSpec().options()) {
                    assertThat(arm.get(2).contains(option.longestName() + "=")).as("%s %s takes a value", path, option.longestName())
                            .isEqualTo(option.arity().max() > 0);
                }
            });
        }
    }

    @Test
    void fishHoldsEveryCommandWithItsSubcommandsAndFlags() {
        String script = FishCompletion.script(MODEL);
        commands().forEach((path, command) -> {
            String at = "complete -c banger -n '" + ("__banger_at " + path).strip() + "'";
            for (String child : visibleChildren(command)) {
                assertThat(script).as("subcommand %s of '%s'", child, path).contains(at + " -a " + child + " ");
            }
            for (String option : optionNames(command)) {
                String fish = option.startsWith("--") ? " -l " + option.substring(2) : " -s " + option.substring(1);
                assertThat(script.lines().filter(l -> l.startsWith(at + " -") && (l + " ").contains(fish + " ")))
                        .as("flag %s of '%s'", option, path).hasSize(1);
            }
            if (!path.isEmpty()) {
                assertThat(script).as("the path list").contains("'" + path + "'");
            }
        });
    }

    @Test
    void helpListsTheCompletionCommandButNotTheHiddenNames() {
        assertThat(help("--help")).containsPattern("(?m)^  completion +Print the completion script");
        assertThat(help("completion", "--help")).startsWith("Usage: banger completion [-hV] [SHELL]\n")
                .doesNotContain("names").doesNotContain("COMMAND");
    }

    private static String help(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        CommandLine cli = BangerMain.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void namesAreCompletedWhereACommandTakesAnExistingVmOrImage() {
        assertThat(node("vm start").positional()).isEqualTo(new CompletionModel.Positional(CompletionModel.Values.of(Kind.VM), 1));
        assertThat(node("vm ssh").positional().values().kind()).isEqualTo(Kind.VM);
        assertThat(node("vm port add").positional().values().kind()).isEqualTo(Kind.VM);
        assertThat(node("vm port").subcommands()).extracting(CompletionModel.Node::name).containsExactly("list", "add", "rm");
        assertThat(node("vm delete").positional().count()).as("NAME...").isEqualTo(Integer.MAX_VALUE);
        assertThat(node("vm create").positional().values().kind()).as("a new name").isEqualTo(Kind.NONE);
        assertThat(node("image show").positional().values().kind()).isEqualTo(Kind.IMAGE);
        assertThat(node("image snapshot").positional().values().kind()).isEqualTo(Kind.IMAGE);
        assertThat(flag("vm create", "--image").values().kind()).isEqualTo(Kind.IMAGE);
        assertThat(flag("bench create", "--image").values().kind()).isEqualTo(Kind.IMAGE);
        assertThat(flag("image build", "--name").values().kind()).as("a new name").isEqualTo(Kind.NONE);
        assertThat(flag("runtime install", "--from").values().kind()).isEqualTo(Kind.FILE);
        assertThat(flag("vm create", "--json").takesValue()).isFalse();
        assertThat(node("completion").positional().values().words()).containsExactly("bash", "zsh", "fish");
        assertThat(node("daemon start").positional()).isEqualTo(CompletionModel.Positional.NONE);
        assertThat(node("completion").subcommands()).as("names is hidden").isEmpty();
    }

    private static CompletionModel.Flag flag(String path, String name) {
        return node(path).flags().stream().filter(f -> f.names().contains(name)).findFirst().orElseThrow();
    }

    @Test
    void theScriptsAreValidShell() throws Exception {
        assertThat(run(List.of("bash", "-n", write("banger.bash", BashCompletion.script(MODEL)).toString()))).isEmpty();
        if (onPath("zsh")) {
            assertThat(run(List.of("zsh", "-n", write("_banger", ZshCompletion.script(MODEL)).toString()))).isEmpty();
        }
        if (onPath("fish")) {
            assertThat(run(List.of("fish", "--no-execute", write("banger.fish", FishCompletion.script(MODEL)).toString()))).isEmpty();
        }
    }

    @Test
    void bashCompletesSubcommandsFlagsAndNamesFromTheLauncher() throws Exception {
        Path script = write("banger.bash", BashCompletion.script(MODEL));
        String launcher = fakeLauncher().toString();

        assertThat(bashComplete(script, "banger", "vm", "st")).containsExactlyInAnyOrder("start", "stop", "stats");
        assertThat(bashComplete(script, "banger", "")).containsAll(visibleChildren(CommandTree.full()));
        assertThat(bashComplete(script, "banger", "vm", "create", "--")).contains("--image", "--no-wait", "--help");
        assertThat(bashComplete(script, "banger", "completion", "")).containsExactly("bash", "zsh", "fish");
        assertThat(bashComplete(script, launcher, "vm", "start", "d")).containsExactly("dev1", "dev2");
        assertThat(bashComplete(script, launcher, "vm", "start", "dev1", "")).as("one NAME only").isEmpty();
        assertThat(bashComplete(script, launcher, "vm", "delete", "dev1", "")).containsExactly("dev1", "dev2", "other");
        assertThat(bashComplete(script, launcher, "vm", "create", "--image", "")).containsExactly("default", "void-exp");
        assertThat(bashComplete(script, launcher, "vm", "create", "--vcpus", "")).as("a number").isEmpty();
        assertThat(bashComplete(script, launcher, "vm", "create", "")).as("a new name").isEmpty();
    }

    @Test
    void fishCompletesSubcommandsAndNamesFromTheLauncher() throws Exception {
        assumeTrue(onPath("fish"), "fish is not installed");
        Path script = write("banger.fish", FishCompletion.script(MODEL));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.move(fakeLauncher(), bin.resolve("banger"));

        assertThat(fishComplete(script, bin, "banger vm st")).containsExactlyInAnyOrder("start", "stop", "stats");
        assertThat(fishComplete(script, bin, "banger image show ")).containsExactly("default", "void-exp");
        assertThat(fishComplete(script, bin, "banger vm create --image v")).containsExactly("void-exp");
        assertThat(fishComplete(script, bin, "banger vm create --no-")).containsExactlyInAnyOrder("--no-wait", "--no-build");
        assertThat(fishComplete(script, dir.resolve("empty"), "banger vm start ")).as("no launcher on PATH").isEmpty();
    }

    @Test
    void zshCompletesSubcommandsFlagsAndNamesFromTheLauncher() throws Exception {
        assumeTrue(onPath("zsh"), "zsh is not installed");
        Path script = write("_banger", ZshCompletion.script(MODEL));
        String launcher = fakeLauncher().toString();

        assertThat(zshComplete(script, "banger", "vm", "st")).containsExactlyInAnyOrder("start", "stop", "stats");
        assertThat(zshComplete(script, "banger", "vm", "create", "--no-")).contains("--no-wait", "--no-build");
        assertThat(zshComplete(script, launcher, "vm", "start", "")).containsExactly("dev1", "dev2", "other");
        assertThat(zshComplete(script, launcher, "vm", "start", "dev1", "")).as("one NAME only").isEmpty();
        assertThat(zshComplete(script, launcher, "bench", "create", "--image", "")).containsExactly("default", "void-exp");
        assertThat(zshComplete(script, launcher, "runtime", "install", "--from", "")).containsExactly("(files)");
        assertThat(zshComplete(script, launcher, "completion", "")).containsExactly("bash", "zsh", "fish");
    }

    /**
     * What the zsh function adds for {@code words}, the last being the one completed. compsys is
     * not loaded: {@code compadd} and {@code _files} are stand-ins that print what they were given
     * ({@code compadd} keeping, as zsh does, those that start with the word completed).
     */
    private List<String> zshComplete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(BashCompletion.quote(word)).append(' ');
        }
        String program = "compadd() { local -a c; if [[ $1 == -a ]]; then c=(${(P)2}); else shift; c=(\"$@\"); fi; "
                + "print -l -- ${(M)c:#${words[CURRENT]}*} }; "
                + "_files() { print -- '(files)' }; words=(" + array + "); CURRENT=" + words.length + "; source "
                + BashCompletion.quote(script.toString()) + "; :"; // a completer that adds nothing returns 1
        return run(List.of("zsh", "-f", "-c", program)).lines().filter(l -> !l.isEmpty()).toList();
    }

    /** A launcher that answers {@code completion names} as a daemon with VMs dev1, dev2, other and two images would. */
    private Path fakeLauncher() throws IOException {
        Path launcher = write("fake-banger", """
                #!/bin/sh
                [ "$1 $2" = "completion names" ] || exit 2
                case $3 in vm) printf 'dev1\\ndev2\\nother\\n' ;; image) printf 'default\\nvoid-exp\\n' ;; esac
                """);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        return launcher;
    }

    private List<String> bashComplete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(BashCompletion.quote(word)).append(' ');
        }
        String program = "source " + BashCompletion.quote(script.toString()) + "; COMP_WORDS=(" + array + "); COMP_CWORD="
                + (words.length - 1) + "; _banger; printf '%s\\n' \"${COMPREPLY[@]}\"";
        return run(List.of("bash", "--norc", "-c", program)).lines().filter(l -> !l.isEmpty()).toList();
    }

    /** What fish offers for {@code line}, with {@code bin} alone on PATH (what it needs are builtins). */
    private List<String> fishComplete(Path script, Path bin, String line) throws Exception {
        String program = "set -x PATH " + BashCompletion.quote(bin.toString()) + "; source "
                + BashCompletion.quote(script.toString()) + "; complete -C " + BashCompletion.quote(line);
        return run(List.of("fish", "--no-config", "-c", program)).lines().map(l -> l.split("\t")[0]).toList();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    /** Runs a shell with a bounded wait; its stdout, failing on a non-zero exit or any stderr. */
    private String run(List<String> argv) throws Exception {
        Process process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(false).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(argv.getFirst() + " did not finish within 30 s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit; stderr: %s", argv.getFirst(), err).isZero();
        assertThat(err).as("%s stderr", argv.getFirst()).isEmpty();
        return out;
    }
}
