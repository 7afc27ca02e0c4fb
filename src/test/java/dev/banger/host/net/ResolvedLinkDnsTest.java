package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.CommandFailedException;
import dev.banger.host.RecordingHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvedLinkDnsTest {
    @TempDir
    Path dir;

    private Path resolvedRuns() throws IOException {
        return Files.createDirectories(dir.resolve("run/systemd/resolve"));
    }

    @Test
    void whereResolvedRunsTheDomainIsRoutedToTheBridgesServerAndRevertedOnRemove() throws IOException {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("resolvectl");
        ResolvedLinkDns resolved = new ResolvedLinkDns(host, resolvedRuns(), () -> true);

        assertThat(resolved.install("banger0", "172.30.0.1", "banger.internal")).isTrue();
        resolved.remove("banger0");

        assertThat(host.recorded()).containsExactly(
                List.of("resolvectl", "dns", "banger0", "172.30.0.1"),
                List.of("resolvectl", "domain", "banger0", "~banger.internal"),
                List.of("resolvectl", "revert", "banger0"));
    }

    @Test
    void withoutResolvedOrFromAnotherNetworkNamespaceNothingRuns() throws IOException {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("resolvectl");
        ResolvedLinkDns notRunning = new ResolvedLinkDns(host, dir.resolve("run/systemd/resolve"), () -> true);
        assertThat(notRunning.install("banger0", "172.30.0.1", "banger.internal")).isFalse();
        notRunning.remove("banger0");

        // resolvectl would name the link by an index of this namespace, which resolved reads as another link of its own.
        ResolvedLinkDns elsewhere = new ResolvedLinkDns(host, resolvedRuns(), () -> false);
        ResolvedLinkDns noTool = new ResolvedLinkDns(new RecordingHostCommands(), resolvedRuns(), () -> true);
        assertThat(elsewhere.install("banger0", "172.30.0.1", "banger.internal")).isFalse();
        assertThat(noTool.available()).isFalse();
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void resolvedRefusingTheLinkIsAnErrorNamingTheCommandAndItsStderr() throws IOException {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("resolvectl")
                .answer(List.of("resolvectl", "dns"), 1, "", "Failed to resolve interface \"banger0\": No such device");
        ResolvedLinkDns resolved = new ResolvedLinkDns(host, resolvedRuns(), () -> true);

        assertThatThrownBy(() -> resolved.install("banger0", "172.30.0.1", "banger.internal"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("resolvectl dns banger0 172.30.0.1")
                .hasMessageContaining("No such device");
    }
}
