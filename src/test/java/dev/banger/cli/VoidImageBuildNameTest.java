package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VoidImageBuildNameTest {
    @Test
    void aVoidBuildIsNamedVoidExpUnlessNamedSoItNeverTakesTheDebianDefaultsName() {
        assertThat(ImageBuildCommand.nameOrDefault(null, "void")).isEqualTo("void-exp");
        assertThat(ImageBuildCommand.nameOrDefault("void-test", "void")).isEqualTo("void-test");
        assertThat(ImageBuildCommand.nameOrDefault(null, "debian")).isEqualTo("default");
    }
}
