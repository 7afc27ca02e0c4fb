package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptSourcesTest {
    @TempDir
    Path apt;

    @Test
    void deb822SourcesGiveTheFirstBinaryEntryServingTheRelease() {
        String text = """
                Types: deb-src
                URIs: http://src.example/debian
                Suites: bookworm

                Types: deb
                # a comment line
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main

                Types: deb
                URIs: http://security.example/debian-security
                Suites: bookworm-security
                """;

        assertThat(AptSources.find(text, true, "bookworm")).contains(URI.create("http://mirror.example/debian"));
        assertThat(AptSources.find(text, true, "bookworm-security")).contains(URI.create("http://security.example/debian-security"));
        assertThat(AptSources.find(text, true, "trixie")).isEmpty();
    }

    @Test
    void disabledDeb822StanzasAreSkipped() {
        String text = """
                Types: deb
                URIs: http://off.example/debian
                Suites: bookworm
                Enabled: no

                Types: deb
                URIs: http://on.example/debian
                Suites: bookworm
                """;

        assertThat(AptSources.find(text, true, "bookworm")).contains(URI.create("http://on.example/debian"));
    }

    @Test
    void oneLineSourcesSkipSourcesCommentsAndOptions() {
        String text = """
                # deb http://commented.example/debian bookworm main
                deb-src http://src.example/debian bookworm main
                deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://opt.example/debian bookworm main contrib
                deb http://plain.example/debian bookworm main
                """;

        assertThat(AptSources.find(text, false, "bookworm")).contains(URI.create("http://opt.example/debian"));
    }

    @Test
    void filesAreReadInAptOrderAndOtherExtensionsIgnored() throws IOException {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/a.list.disabled"), "deb http://disabled.example/debian bookworm main\n");
        Files.writeString(apt.resolve("sources.list.d/b.sources"), "Types: deb\nURIs: http://b.example/debian\nSuites: bookworm\n");
        Files.writeString(apt.resolve("sources.list.d/c.list"), "deb http://c.example/debian bookworm main\n");

        assertThat(AptSources.mirrorFor(apt, "bookworm")).isEqualTo(URI.create("http://b.example/debian"));
    }

    @Test
    void noSourceForTheReleaseSaysWhereToSetOne() throws IOException {
        Files.writeString(apt.resolve("sources.list"), "deb http://x.example/debian bullseye main\n");

        assertThatThrownBy(() -> AptSources.mirrorFor(apt, "bookworm"))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("no apt source for Debian 'bookworm'")
                .hasMessageContaining("[image] debian_mirror");
    }
}
