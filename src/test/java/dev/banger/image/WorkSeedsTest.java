package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mkfs.ext4 and debugfs on files; no root needed. */
class WorkSeedsTest {
    @TempDir
    Path tmp;

    private final Ext4Images ext4 = new Ext4Images(new ProcessHostCommands());
    private final WorkSeeds seeds = new WorkSeeds(ext4);

    @Test
    void aSeedReadsBackWithTheFingerprintOfTheTreeItWasMadeFrom() throws IOException {
        Path home = home("home");

        WorkSeeds.Seed seed = seeds.build(home, tmp.resolve("work-seed.ext4"));

        assertThat(Ext4Images.isExt4(seed.file())).isTrue();
        assertThat(seed.fingerprint()).isEqualTo(TreeFingerprint.of(home));
        assertThat(seeds.fingerprint(seed.file(), Files.createDirectories(tmp.resolve("check")))).isEqualTo(seed.fingerprint());
        assertThat(ext4.mode(seed.file(), "/")).isEqualTo(0700);
    }

    @Test
    void aChangedSeedNoLongerMatchesItsFingerprint() throws IOException {
        WorkSeeds.Seed seed = seeds.build(home("home"), tmp.resolve("work-seed.ext4"));
        Path other = home("other");
        Files.writeString(other.resolve(".bashrc"), "export PS1='changed'\n");
        WorkSeeds.Seed changed = seeds.build(other, tmp.resolve("changed.ext4"));

        assertThat(seeds.fingerprint(changed.file(), Files.createDirectories(tmp.resolve("check"))))
                .isNotEqualTo(seed.fingerprint());
    }

    @Test
    void aNestedHomeIsFlattenedBeforeItIsSealed() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("nested/root/.ssh"));
        Files.writeString(home.getParent().resolve(".bashrc"), "# nested\n");

        WorkSeeds.Seed seed = seeds.build(tmp.resolve("nested"), tmp.resolve("work-seed.ext4"));

        Path out = Files.createDirectories(tmp.resolve("out"));
        ext4.extract(seed.file(), "/", out);
        assertThat(out.resolve(".bashrc")).hasContent("# nested");
        assertThat(out.resolve("root")).doesNotExist();
    }

    @Test
    void aSeedCanBeMadeFromTheRootDirectoryOfARootfs() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("rootfs-tree/root"));
        Files.writeString(tree.resolve(".profile"), "# from the rootfs\n");
        Files.createDirectories(tmp.resolve("rootfs-tree/etc"));
        Path rootfs = tmp.resolve("rootfs.ext4");
        ext4.create(tmp.resolve("rootfs-tree"), rootfs, 32L << 20, "banger-root", 0755);

        WorkSeeds.Seed seed = seeds.buildFromRootfs(rootfs, Files.createDirectories(tmp.resolve("scratch")), tmp.resolve("seed.ext4"));

        Path out = Files.createDirectories(tmp.resolve("out"));
        ext4.extract(seed.file(), "/", out);
        assertThat(out.resolve(".profile")).hasContent("# from the rootfs");
        assertThat(out.resolve("etc")).doesNotExist();
    }

    @Test
    void onlyExtSuperblocksCountAsExt4() throws IOException {
        Path text = Files.writeString(tmp.resolve("not-ext4"), "x".repeat(4096));

        assertThat(Ext4Images.isExt4(text)).isFalse();
        assertThat(Ext4Images.isExt4(tmp.resolve("missing"))).isFalse();
    }

    private Path home(String name) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name).resolve(".ssh"));
        Files.writeString(home.resolve("authorized_keys"), "ssh-ed25519 AAAA test\n");
        Files.writeString(home.getParent().resolve(".bashrc"), "export PS1='# '\n");
        Files.createSymbolicLink(home.getParent().resolve("link"), Path.of(".bashrc"));
        return home.getParent();
    }
}
