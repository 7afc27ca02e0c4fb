package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompletionNamesTest {
    @TempDir
    Path dir;

    private static String quick(BangerPaths paths, String... args) {
        StringWriter out = new StringWriter();
        OptionalInt exit = CompletionNames.quick(args, paths, new PrintWriter(out));
        assertThat(exit).hasValue(0);
        return out.toString();
    }

    @Test
    void listsTheNamesARunningDaemonHas() throws Exception {
        try (FakeVmDaemon daemon = new FakeVmDaemon(dir)) {
            assertThat(quick(daemon.paths, "completion", "names", "vm")).isEqualTo("dev1\ndev2\n");
            assertThat(quick(daemon.paths, "completion", "names", "image")).isEqualTo("default\nvoid-exp\n");
        }
    }

    @Test
    void theCommandThroughTheTreeAnswersTheSame() throws Exception {
        try (FakeVmDaemon daemon = new FakeVmDaemon(dir)) {
            CommandLine cli = BangerMain.commandLine();
            CompletionNamesCommand names = cli.getSubcommands().get("completion").getSubcommands().get("names").getCommand();
            names.paths = daemon.paths;
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out, true));

            assertThat(cli.execute("completion", "names", "vm")).isZero();
            assertThat(out.toString()).isEqualTo("dev1\ndev2\n");
            assertThat(daemon.methodsCalled()).containsExactly("vm.list");
        }
    }

    @Test
    void withoutADaemonItPrintsNothingAtOnceAndStartsNone() {
        BangerPaths nowhere = new BangerPaths(dir.resolve("state"), dir.resolve("run"), dir.resolve("cache"), dir.resolve("c.toml"));
        long start = System.nanoTime();

        assertThat(quick(nowhere, "completion", "names", "vm")).isEmpty();
        assertThat(quick(nowhere, "completion", "names", "image")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void otherArgumentsAreLeftToTheCommandTree() {
        BangerPaths paths = new BangerPaths(dir, dir, dir, dir.resolve("c.toml"));
        for (String[] args : new String[][] {{"completion", "names", "disk"}, {"completion", "names"}, {"vm", "list"},
                {"completion", "bash"}, {"completion", "names", "vm", "extra"}}) {
            assertThat(CompletionNames.quick(args, paths, new PrintWriter(new StringWriter()))).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void namesAreReadFromTheResultListOnly() {
        assertThat(CompletionNames.names("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"vms\":[{\"state\":\"running\","
                + "\"name\":\"a\",\"tags\":{\"name\":\"x\"}},{\"name\":\"b\"},{\"name\":7}]}}", "vms")).containsExactly("a", "b");
        assertThat(CompletionNames.names("{\"id\":1,\"result\":{\"other\":[1],\"images\":[{\"name\":\"i\"}]}}", "images"))
                .containsExactly("i");
        assertThat(CompletionNames.names("{\"id\":1,\"error\":{\"code\":-32000,\"message\":\"no\"}}", "vms")).isEmpty();
        assertThat(CompletionNames.names("{\"id\":1,\"result\":{\"vms\":[{\"name\":\"a\"}", "vms")).as("truncated").isEmpty();
        assertThat(CompletionNames.names("[]", "vms")).isEmpty();
    }
}
