package dev.banger.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessHostCommandsTest {
    private final ProcessHostCommands host = new ProcessHostCommands();

    @Test
    void argumentsReachTheProgramVerbatimWithoutAShell() {
        CommandResult result = host.run("printf", "%s|", "a b", "$(id)", "; rm -rf /");
        assertThat(result.stdout()).isEqualTo("a b|$(id)|; rm -rf /|");
    }

    @Test
    void failureNamesTheCommandExitCodeAndStderr() {
        assertThatThrownBy(() -> host.run("ls", "/banger-no-such-dir"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exit 2")
                .hasMessageContaining("ls /banger-no-such-dir")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void programPastItsTimeoutIsKilledAndReported() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> host.run(Command.of("sleep", "30").withTimeout(Duration.ofMillis(200))))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void missingProgramIsReportedByName() {
        assertThatThrownBy(() -> host.run("banger-no-such-program-x"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("banger-no-such-program-x");
        assertThat(host.available("banger-no-such-program-x")).isFalse();
        assertThat(host.available("sh")).isTrue();
    }

    @Test
    void stdinIsFedToTheProgram() {
        CommandResult result = host.run(Command.of("cat").withStdin("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(result.stdout()).isEqualTo("hello");
    }
}
