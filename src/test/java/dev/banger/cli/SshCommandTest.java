package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.SshTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshCommandTest {
    private static final SshTarget TARGET = new SshTarget("dev1", "172.16.0.9", 2222, "root", "secret", List.of("x"));

    @Test
    void interactiveSessionUsesOnlyThePinnedKeyAndHostKeys() {
        assertThat(SshCommand.argv(TARGET, Path.of("/run/user/1000/banger/dev1.key"),
                Path.of("/run/user/1000/banger/dev1.known_hosts"), List.of()))
                .containsExactly("ssh", "-i", "/run/user/1000/banger/dev1.key",
                        "-o", "IdentitiesOnly=yes",
                        "-o", "UserKnownHostsFile=/run/user/1000/banger/dev1.known_hosts",
                        "-o", "GlobalKnownHostsFile=/dev/null",
                        "-o", "StrictHostKeyChecking=yes",
                        "-o", "LogLevel=ERROR",
                        "-p", "2222",
                        "--", "root@172.16.0.9");
    }

    @Test
    void remoteCommandFollowsTheDestinationVerbatimEvenWhenItLooksLikeAnOption() {
        List<String> argv = SshCommand.argv(TARGET, Path.of("k"), Path.of("h"), List.of("-oProxyCommand=x", "a b"));

        assertThat(argv.subList(argv.indexOf("--"), argv.size()))
                .containsExactly("--", "root@172.16.0.9", "-oProxyCommand=x", "a b");
    }
}
