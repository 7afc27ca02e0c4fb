package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.image.NestedWorkDisks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clone strategies and ext4 operations this host can do, on real files in a temp dir:
 * e2fsprogs, cp, qemu-img, loop mounts and a loop-mounted XFS for reflinks. Device-mapper is
 * absent here, so the dm snapshot is covered by the unit tests only.
 */
@Tag("root")
class DiskIntegrationTest {
    private static final long MIB = 1L << 20;
    private final ProcessHostCommands host = new ProcessHostCommands();
    private final DiskCloner cloner = new DiskCloner(host);
    private final Ext4Tool ext4 = new Ext4Tool(host);

    @TempDir
    Path tmp;
    private Path base;

    @BeforeEach
    void makeBase() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("base-tree/etc"));
        Files.writeString(tree.resolve("hostname"), "base\n");
        base = tmp.resolve("rootfs.ext4");
        ext4.buildFromTree(tree.getParent(), base, 32 * MIB);
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private String debugfs(Path image, String request) {
        return host.run(Command.of("debugfs", "-R", request, image.toString())).stdout();
    }

    /** Names in a {@code debugfs ls -l} listing: the last field of each entry line. */
    private static List<String> names(String lsLong) {
        return lsLong.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).filter(name -> !name.equals(".") && !name.equals(".."))
                .toList();
    }

    @Test
    void aSparseCopyIsByteIdenticalAndKeepsItsHoles() throws IOException {
        Path copy = tmp.resolve("copy.ext4");

        ClonedDisk disk = cloner.clone(CloneStrategy.SPARSE_COPY, base, copy, 0);

        assertThat(disk.path()).isEqualTo(copy);
        assertThat(Files.mismatch(base, copy)).isEqualTo(-1);
        long allocatedBytes = 512L * Long.parseLong(host.run("stat", "-c", "%b", copy.toString()).stdout().strip());
        assertThat(allocatedBytes).isLessThan(Files.size(copy) / 2);
        cloner.remove(disk);
        assertThat(copy).doesNotExist();
        assertThat(base).exists();
    }

    @Test
    void aQcow2OverlayPointsAtItsRawBaseAndTakesWritesWithoutTouchingIt() throws IOException {
        Path overlay = tmp.resolve("root.qcow2");
        String before = sha256(base);

        ClonedDisk disk = cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, overlay, 64 * MIB);
        host.run("qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 1M", overlay.toString());

        JsonNode info = new ObjectMapper().readTree(host.run("qemu-img", "info", "--output=json", overlay.toString()).stdout());
        assertThat(info.path("format").asText()).isEqualTo("qcow2");
        assertThat(info.path("backing-filename").asText()).isEqualTo(base.toString());
        assertThat(info.path("backing-filename-format").asText()).isEqualTo("raw");
        assertThat(info.path("virtual-size").asLong()).isEqualTo(64 * MIB);
        assertThat(disk.format()).isEqualTo(DiskFormat.QCOW2);
        assertThat(sha256(base)).isEqualTo(before);
    }

    @Test
    void aReflinkCopyWorksOnALoopMountedXfsAndTheProbeSaysSo() throws IOException {
        assertThat(host.available("mkfs.xfs")).as("mkfs.xfs is installed (make deps installs xfsprogs)").isTrue();
        Path xfsImage = tmp.resolve("state.xfs");
        try (RandomAccessFile file = new RandomAccessFile(xfsImage.toFile(), "rw")) {
            file.setLength(300 * MIB);
        }
        host.run("mkfs.xfs", "-q", "-m", "reflink=1", xfsImage.toString());
        Path state = Files.createDirectory(tmp.resolve("state"));
        host.run("mount", "-o", "loop", xfsImage.toString(), state.toString());
        try {
            Path xfsBase = state.resolve("rootfs.ext4");
            Files.copy(base, xfsBase);
            Path clone = state.resolve("root.ext4");

            HostDiskFacts facts = HostDiskFacts.probe(host, state);
            ClonedDisk disk = cloner.clone(CloneStrategy.REFLINK, xfsBase, clone, 48 * MIB);

            assertThat(facts.reflink()).isTrue();
            assertThat(CloneStrategyChooser.choose(facts, DiskRole.WORK)).isEqualTo(CloneStrategy.REFLINK);
            assertThat(disk.path()).isEqualTo(clone);
            assertThat(Files.size(clone)).isEqualTo(48 * MIB);
            assertThat(Files.mismatch(xfsBase, clone)).isEqualTo(Files.size(xfsBase));
            ext4.grow(clone, 48 * MIB);
            assertThat(ext4.sizeOf(clone)).isEqualTo(48 * MIB);
        } finally {
            host.run("umount", state.toString());
        }
    }

    @Test
    void anExt4IsGrownFrom64To256MiBAndDumpe2fsReadsTheNewSize() throws IOException {
        Path image = tmp.resolve("work.ext4");
        ext4.buildFromTree(Files.createDirectory(tmp.resolve("empty")), image, 64 * MIB);
        assertThat(ext4.sizeOf(image)).isEqualTo(64 * MIB);

        ext4.grow(image, 256 * MIB);

        assertThat(Files.size(image)).isEqualTo(256 * MIB);
        Ext4Superblock after = Ext4Superblock.parse(host.run("dumpe2fs", "-h", image.toString()).stdout());
        assertThat(after.sizeBytes()).isEqualTo(256 * MIB);
        assertThat(host.exec(Command.of("e2fsck", "-f", "-n", image.toString())).exitCode()).isZero();
    }

    @Test
    void anImageMountedSinceItsLastCheckIsCheckedAndGrown() throws IOException {
        Path image = tmp.resolve("used.ext4");
        ext4.buildFromTree(Files.createDirectory(tmp.resolve("empty")), image, 64 * MIB);
        // Backdate the last check: a mount in the same second as mkfs would not count as "after" it.
        host.run("tune2fs", "-T", "20200101", image.toString());
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        host.run("mount", "-o", "loop", image.toString(), mnt.toString());
        try {
            assertThat(mnt.resolve("lost+found")).isDirectory();
        } finally {
            host.run("umount", mnt.toString());
        }
        assertThat(ext4.superblock(image).needsCheckBeforeResize()).isTrue();

        ext4.grow(image, 128 * MIB);

        assertThat(ext4.sizeOf(image)).isEqualTo(128 * MIB);
    }

    @Test
    void aNestedWorkDiskIsFlattened() throws IOException {
        Path tree = tmp.resolve("nested-tree");
        Files.createDirectories(tree.resolve("root/.ssh"));
        Files.writeString(tree.resolve("root/.bashrc"), "export PS1='$ '\n");
        Files.writeString(tree.resolve("root/.ssh/authorized_keys"), "ssh-ed25519 AAAA test\n");
        Path image = tmp.resolve("nested.ext4");
        ext4.buildFromTree(tree, image, 16 * MIB);
        assertThat(names(debugfs(image, "ls -l /"))).contains("root").doesNotContain(".bashrc");

        boolean repaired = new NestedWorkDisks(ext4).repair(image);

        assertThat(repaired).isTrue();
        assertThat(names(debugfs(image, "ls -l /"))).contains(".bashrc", ".ssh").doesNotContain("root", ".banger-flatten");
        assertThat(debugfs(image, "cat /.bashrc")).isEqualTo("export PS1='$ '\n");
        assertThat(debugfs(image, "cat /.ssh/authorized_keys")).isEqualTo("ssh-ed25519 AAAA test\n");
        assertThat(new NestedWorkDisks(ext4).repair(image)).isFalse();
    }

    @Test
    void aFlatWorkDiskIsLeftByteForByteUnchanged() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("flat-tree/root"));
        Files.writeString(tree.getParent().resolve(".bashrc"), "flat\n");
        Files.writeString(tree.resolve("notes.txt"), "a project called root\n");
        Path image = tmp.resolve("flat.ext4");
        ext4.buildFromTree(tree.getParent(), image, 16 * MIB);
        String before = sha256(image);

        assertThat(new NestedWorkDisks(ext4).repair(image)).isFalse();

        assertThat(sha256(image)).isEqualTo(before);
        assertThat(names(debugfs(image, "ls -l /"))).contains(".bashrc", "root");
    }
}
