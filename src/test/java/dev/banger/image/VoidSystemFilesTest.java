package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VoidSystemFilesTest {
    @Test
    void sshdReadsTheDropInsBeforeItsOwnSettingsAndTheIncludeIsAddedOnce() {
        String original = "#Port 22\nPermitRootLogin yes\nSubsystem sftp /usr/libexec/sftp-server\n";

        String edited = VoidSystemFiles.sshdConfigWithDropIns(original);

        assertThat(edited.indexOf("Include /etc/ssh/sshd_config.d/*.conf")).isLessThan(edited.indexOf("PermitRootLogin yes"));
        assertThat(edited).endsWith(original);
        assertThat(VoidSystemFiles.sshdConfigWithDropIns(edited)).isEqualTo(edited);
    }

    @Test
    void rootLogsInWithBashAndNoOtherAccountChanges() {
        String passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:99:99:Unprivileged User:/dev/null:/bin/false\n";

        assertThat(VoidSystemFiles.passwdWithRootShell(passwd, "/bin/bash"))
                .isEqualTo("root:x:0:0:root:/root:/bin/bash\nnobody:x:99:99:Unprivileged User:/dev/null:/bin/false\n");
    }

    @Test
    void aRootWithoutARootAccountIsRefused() {
        assertThatThrownBy(() -> VoidSystemFiles.passwdWithRootShell("nobody:x:99:99::/:/bin/false\n", "/bin/bash"))
                .isInstanceOf(ImageException.class).hasMessageContaining("no root entry");
    }

    @Test
    void theInitramfsIsGenericAndCarriesTheVirtioDrivers() {
        assertThat(VoidSystemFiles.dracutConf()).contains("hostonly=\"no\"").contains("virtio_blk").contains("virtio_mmio");
        assertThat(VoidSystemFiles.dracutArgv("6.6.52_1"))
                .containsExactly("dracut", "--force", "--no-hostonly", "/boot/initramfs-6.6.52_1.img", "6.6.52_1");
        assertThatThrownBy(() -> VoidSystemFiles.dracutArgv("../x")).isInstanceOf(ImageException.class);
    }
}
