package dev.banger.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttachedProcessTest {
    @Test
    void returnsTheProgramsExitCode() {
        assertThat(AttachedProcess.run(Command.of("true"))).isZero();
        assertThat(AttachedProcess.run(Command.of("false"))).isEqualTo(1);
    }

    @Test
    void missingProgramFailsNamingTheCommand() {
        assertThatThrownBy(() -> AttachedProcess.run(Command.of("banger-no-such-program", "--flag")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("banger-no-such-program --flag")
                .hasMessageContaining("could not be started");
    }
}
