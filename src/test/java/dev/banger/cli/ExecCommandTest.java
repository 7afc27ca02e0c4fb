package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecCommandTest {
    private static final SshTarget TARGET = new SshTarget("dev1", "172.16.0.9", 2222, "root", "secret", List.of("x"));
    private static final List<String> AWKWARD = List.of("a b", "it's", "", "$HOME", "`id`", "$(id)", "\\", "*", "-n",
            "line\nbreak", "'", "\"", "a=b", "~", ";", "|", "&&", "#", "!x", "'\\''", "tab\there", "ünï");

    @Test
    void withoutTtyAsksForNoTerminalAndQuotesEveryWordAfterTheDestination() {
        List<String> argv = ExecCommand.argv(TARGET, Path.of("/k"), Path.of("/h"), false, List.of("sh", "-c", "exit 7"));

        assertThat(argv).containsExactly("ssh", "-i", "/k",
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=/h",
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "LogLevel=ERROR",
                "-p", "2222",
                "-T",
                "--", "root@172.16.0.9", "'sh'", "'-c'", "'exit 7'");
    }

    @Test
    void withTtyForcesATerminalEvenWhenStdinIsNotOne() {
        List<String> argv = ExecCommand.argv(TARGET, Path.of("/k"), Path.of("/h"), true, List.of("top"));

        assertThat(argv).contains("-tt").doesNotContain("-T");
        assertThat(argv.subList(argv.indexOf("-tt"), argv.size())).containsExactly("-tt", "--", "root@172.16.0.9", "'top'");
    }

    @Test
    void quoteWrapsInSingleQuotesAndEscapesEachSingleQuote() {
        assertThat(ExecCommand.quote("plain")).isEqualTo("'plain'");
        assertThat(ExecCommand.quote("")).isEqualTo("''");
        assertThat(ExecCommand.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ExecCommand.quote("$HOME `id`")).isEqualTo("'$HOME `id`'");
    }

    /** What the guest does with ssh's joined words: its login shell runs them as one command line. */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/bash"})
    void aPosixShellGivenTheJoinedQuotedWordsRunsExactlyTheArgvTyped(String shell) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed");
        List<String> typed = new ArrayList<>(List.of("printf", "%s\\0"));
        typed.addAll(AWKWARD);
        List<String> argv = ExecCommand.argv(TARGET, Path.of("/k"), Path.of("/h"), false, typed);
        String remoteLine = String.join(" ", argv.subList(argv.indexOf("root@172.16.0.9") + 1, argv.size()));

        assertThat(run(shell, "-c", remoteLine)).isEqualTo(AWKWARD);
    }

    private static List<String> run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("%s finished", argv[0]).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code of %s, output %s", argv[0], out).isZero();
        assertThat(out).endsWith("\0");
        return Arrays.asList(out.substring(0, out.length() - 1).split("\0", -1));
    }
}
