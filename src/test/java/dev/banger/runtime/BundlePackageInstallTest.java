package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BundlePackageInstallTest {
    private final ProcessHostCommands host = new ProcessHostCommands();
    private Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-package");
    }

    @AfterEach
    void tearDown() {
        TestBundles.deleteTree(tmp);
    }

    @Test
    void packagedBundleInstallsIntoAPrefixWithoutTouchingItsOtherFiles() throws IOException {
        BundleManifest manifest = TestBundles.write(tmp.resolve("src"), "initrd", "kernel-vmlinux");
        BundlePackager.Packaged packaged = new BundlePackager(host).pack(tmp.resolve("src"), tmp.resolve("dist"));
        assertThat(packaged.tarball().getFileName().toString()).isEqualTo("banger-runtime-1.0.tar.gz");
        assertThat(packaged.manifest()).exists();
        Path target = tmp.resolve("prefix/lib/banger");
        Files.createDirectories(target.resolve("java"));
        Files.writeString(target.resolve("java/banger.jar"), "jar");

        BundleManifest installed = new BundleInstaller(host).install(packaged.tarball(), target);

        assertThat(installed).isEqualTo(manifest);
        assertThat(target.resolve("files/initrd.bin")).hasContent("content of initrd");
        assertThat(target.resolve("java/banger.jar")).hasContent("jar");
        assertThat(RuntimeBundle.at(target).status(java.util.Optional.empty()))
                .allSatisfy(s -> assertThat(s.state()).isEqualTo(ArtifactStatus.State.OK));
        assertThat(tmp.resolve("prefix/lib")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));
    }

    @Test
    void tamperedTarballIsRefusedAndChangesNothing() throws IOException {
        TestBundles.write(tmp.resolve("src"), "initrd", "kernel-vmlinux");
        Path installedBefore = tmp.resolve("target");
        TestBundles.write(installedBefore, "initrd");
        String manifestBefore = Files.readString(installedBefore.resolve("manifest.json"));
        Files.writeString(tmp.resolve("src/files/initrd.bin"), "evil initrd");
        Path tarball = tmp.resolve("tampered.tar.gz");
        host.run("tar", "-C", tmp.resolve("src").toString(), "-czf", tarball.toString(), "manifest.json", "files");

        assertThatThrownBy(() -> new BundleInstaller(host).install(tarball, installedBefore))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("initrd").hasMessageContaining("Nothing was changed");

        assertThat(installedBefore.resolve("manifest.json")).hasContent(manifestBefore);
        assertThat(installedBefore.resolve("files/initrd.bin")).hasContent("content of initrd");
        assertThat(installedBefore.resolve("files/kernel-vmlinux.bin")).doesNotExist();
        assertThat(tmp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".banger-runtime-install"));
    }

    @Test
    void tarballWithAnEntryOutsideTheBundleIsRefusedBeforeUnpacking() throws IOException {
        Path evil = Files.createDirectories(tmp.resolve("evil/inner"));
        Files.writeString(tmp.resolve("evil/escape"), "x");
        Path tarball = tmp.resolve("evil.tar.gz");
        host.run(dev.banger.host.Command.of("tar", "-P", "-czf", tarball.toString(), "../escape").withWorkDir(evil));

        assertThatThrownBy(() -> new BundleInstaller(host).install(tarball, tmp.resolve("target")))
                .hasMessageContaining("outside the bundle");
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void bundleWithAMismatchedFileIsNotPackaged() throws IOException {
        TestBundles.write(tmp.resolve("src"), "initrd");
        Files.writeString(tmp.resolve("src/files/initrd.bin"), "changed");

        assertThatThrownBy(() -> new BundlePackager(host).pack(tmp.resolve("src"), tmp.resolve("dist")))
                .hasMessageContaining("initrd sha256 mismatch");
        assertThat(tmp.resolve("dist/banger-runtime-1.0.tar.gz")).doesNotExist();
    }
}
