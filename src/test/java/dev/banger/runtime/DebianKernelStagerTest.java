package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.RecordingHostCommands;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebianKernelStagerTest {
    private static final BundleSpec.DebianKernelSettings SETTINGS =
            new BundleSpec.DebianKernelSettings("linux-image-cloud-amd64", "", List.of("virtio_blk"));

    @Test
    void versionedKernelIsReadFromAptCacheDepends() {
        String output = "linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-56-cloud-amd64\n";

        assertThat(DebianKernelStager.versionedDependency(output, "linux-image-cloud-amd64"))
                .contains("linux-image-6.1.0-56-cloud-amd64");
        assertThat(DebianKernelStager.versionedDependency("linux-image-cloud-amd64\n", "linux-image-cloud-amd64")).isEmpty();
    }

    @Test
    void emptyAptIndexIsRefreshedOnceBeforeGivingUp() {
        RecordingHostCommands host = new RecordingHostCommands()
                .answer(List.of("apt-cache", "depends"), 100, "", "E: No packages found");
        var stager = new DebianKernelStager(host, Path.of("/nonexistent-cache"), SETTINGS, Path.of("/bin/busybox"));

        assertThatThrownBy(stager::resolvePackage)
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("linux-image-cloud-amd64").hasMessageContaining("apt sources");
        assertThat(host.recorded()).containsExactly(
                List.of("apt-cache", "depends", "linux-image-cloud-amd64"),
                List.of("apt-get", "update"),
                List.of("apt-cache", "depends", "linux-image-cloud-amd64"));
    }

    @Test
    void initScriptMountsRootFromTheCommandLineAndSwitchesRoot() {
        String init = Initramfs.initScript();

        assertThat(init).startsWith("#!/bin/busybox sh\n")
                .contains("root=*) root=${arg#root=}")
                .contains("insmod \"/lib/modules/$m\"")
                .contains("exec switch_root /newroot \"$init\"");
    }

    @Test
    void hostBusyboxIsStaticAndAShellScriptIsNot() throws Exception {
        assertThat(Initramfs.isStaticElf(java.nio.file.Files.readAllBytes(Initramfs.hostBusybox()))).isTrue();
        assertThat(Initramfs.isStaticElf(java.nio.file.Files.readAllBytes(Path.of("/usr/bin/ssh-keygen")))).isFalse();
        assertThat(Initramfs.isStaticElf("#!/bin/sh\n".getBytes())).isFalse();
    }
}
