package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XbpsToolTest {
    @TempDir
    Path tmp;

    private Path executable(String relative) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void theStaticBuildOnPathIsPreferredAndItsKeysAreFoundBesideIt() throws IOException {
        Path staticBuild = executable("xbps-static/usr/bin/xbps-install.static");
        executable("other/xbps-install");
        Files.createDirectories(tmp.resolve("xbps-static/var/db/xbps/keys"));
        String path = tmp.resolve("other") + ":" + tmp.resolve("xbps-static/usr/bin");

        XbpsTool tool = XbpsTool.locate(Optional.empty(), path);

        assertThat(tool.program()).isEqualTo(staticBuild);
        assertThat(tool.keysDir()).contains(tmp.resolve("xbps-static/var/db/xbps/keys"));
    }

    @Test
    void aPlainXbpsInstallOnPathIsUsedWhenThereIsNoStaticBuild() throws IOException {
        Path plain = executable("bin/xbps-install");

        XbpsTool tool = XbpsTool.locate(Optional.empty(), tmp.resolve("bin").toString());

        assertThat(tool.program()).isEqualTo(plain);
        assertThat(tool.keysDir()).isEmpty();
    }

    @Test
    void theConfiguredAbsolutePathWinsOverPath() throws IOException {
        Path configured = executable("opt/usr/bin/xbps-install.static");
        executable("bin/xbps-install.static");

        assertThat(XbpsTool.locate(Optional.of(configured.toString()), tmp.resolve("bin").toString()).program())
                .isEqualTo(configured);
    }

    @Test
    void aMissingProgramFailsNamingTheConfigKeyAndTheStaticTarball() {
        assertThatThrownBy(() -> XbpsTool.locate(Optional.empty(), tmp.toString()))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("xbps-install.static or xbps-install on PATH")
                .hasMessageContaining("image.xbps_install").hasMessageContaining("xbps-static");
        assertThatThrownBy(() -> XbpsTool.locate(Optional.of(tmp.resolve("nope").toString()), ""))
                .isInstanceOf(ImageException.class).hasMessageContaining("(config image.xbps_install)");
    }
}
