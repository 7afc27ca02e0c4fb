package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-process overlay against the qemu-img installed here: byte for byte what
 * {@code qemu-img create} writes, clean under {@code qemu-img check}, and usable by a guest
 * (qemu-io). Needs qemu-img (qemu-utils), not root; skipped when qemu-img is absent.
 */
class Qcow2OverlayQemuImgTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;
    private static final long BASE_BYTES = MIB;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessHostCommands host = new ProcessHostCommands();
    private final DiskCloner cloner = new DiskCloner(host);

    @TempDir
    Path tmp;

    @BeforeEach
    void needsQemuImg() {
        assertThat(host.available("qemu-img")).as("qemu-img is installed (make deps installs qemu-utils)").isTrue();
    }

    static Stream<Arguments> sizesAndBackingNames() {
        List<Long> sizes = List.of(64 * MIB, 2 * GIB, 8 * GIB, 5 * TIB, 3 * GIB + 512);
        List<String> backings = List.of("b.img", "images with spaces, and commas/root fs, v2 (debian-12), final.raw");
        List<Arguments> cases = new ArrayList<>();
        for (long size : sizes) {
            for (String backing : backings) {
                cases.add(Arguments.of(size, backing));
            }
        }
        return cases.stream();
    }

    private Path base(String relative) throws IOException {
        Path base = tmp.resolve(relative);
        Files.createDirectories(base.getParent());
        try (RandomAccessFile file = new RandomAccessFile(base.toFile(), "rw")) {
            file.setLength(BASE_BYTES);
        }
        return base;
    }

    private Path qemuImgCreate(Path base, long size) {
        Path theirs = tmp.resolve("qemu-img.qcow2");
        host.run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base.toString(), theirs.toString(), Long.toString(size));
        return theirs;
    }

    private JsonNode json(String... argv) throws IOException {
        return JSON.readTree(host.run(argv).stdout());
    }

    private void assertCheckIsClean(Path overlay) throws IOException {
        JsonNode check = json("qemu-img", "check", "--output=json", "-f", "qcow2", overlay.toString());
        assertThat(check.path("check-errors").asLong(-1)).as("check-errors in %s", check).isZero();
        for (String problem : List.of("leaks", "corruptions", "leaks-fixed", "corruptions-fixed")) {
            assertThat(check.path(problem).asLong(0)).as("%s in %s", problem, check).isZero();
        }
    }

    private CommandResult qemuIo(Path overlay, String request) {
        return host.exec(Command.of("qemu-io", "-f", "qcow2", "-c", request, overlay.toString()));
    }

    @ParameterizedTest(name = "{0} bytes on {1}")
    @MethodSource("sizesAndBackingNames")
    void theOverlayIsByteIdenticalToQemuImgsAndChecksClean(long size, String backingName) throws IOException {
        Path base = base(backingName);
        Path ours = tmp.resolve("ours.qcow2");

        cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, ours, size);

        Path theirs = qemuImgCreate(base, size);
        assertThat(Files.mismatch(ours, theirs)).as("first differing byte against qemu-img's file").isEqualTo(-1L);
        assertCheckIsClean(ours);
        JsonNode info = json("qemu-img", "info", "--output=json", "-f", "qcow2", ours.toString());
        assertThat(info.path("virtual-size").asLong()).isEqualTo(size);
        assertThat(info.path("backing-filename").asText()).isEqualTo(base.toString());
        assertThat(info.path("backing-filename-format").asText()).isEqualTo("raw");
        assertThat(info.path("dirty-flag").asBoolean(true)).isFalse();
    }

    @Test
    void anOverlayTakingTheBaseSizeMatchesQemuImgWithoutASize() throws IOException {
        Path base = base("rootfs.ext4");
        Path ours = tmp.resolve("ours.qcow2");
        Path theirs = tmp.resolve("theirs.qcow2");

        cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, ours, 0);

        host.run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base.toString(), theirs.toString());
        assertThat(Files.mismatch(ours, theirs)).isEqualTo(-1L);
    }

    @Test
    void aSizeNotAMultipleOf512IsRoundedUpLikeQemuImgDoes() throws IOException {
        Path base = base("rootfs.ext4");
        Path ours = tmp.resolve("ours.qcow2");
        long size = 3 * GIB + 1;

        cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, ours, size);

        assertThat(Files.mismatch(ours, qemuImgCreate(base, size))).isEqualTo(-1L);
        assertThat(json("qemu-img", "info", "--output=json", "-f", "qcow2", ours.toString()).path("virtual-size").asLong())
                .isEqualTo(3 * GIB + 512);
    }

    @Test
    void aGuestWriteLandsInTheOverlayAndUnwrittenRangesReadTheBase() throws IOException {
        assertThat(host.available("qemu-io")).as("qemu-io is installed (make deps installs qemu-utils)").isTrue();
        Path base = base("images with spaces, and commas/rootfs.ext4");
        host.run("qemu-io", "-f", "raw", "-c", "write -P 0xcd 0 1M", base.toString());
        Path ours = tmp.resolve("ours.qcow2");
        cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, ours, 8 * GIB);

        CommandResult write = qemuIo(ours, "write -P 0xab 0 64k");
        CommandResult read = qemuIo(ours, "read -P 0xab 0 64k");
        CommandResult fromBase = qemuIo(ours, "read -P 0xcd 64k 64k");
        CommandResult beyondBase = qemuIo(ours, "read -P 0 4G 64k");

        for (CommandResult result : List.of(write, read, fromBase, beyondBase)) {
            assertThat(result.exitCode()).as("%s: %s %s", result.command().display(), result.stdout(), result.stderr()).isZero();
            assertThat(result.stdout()).doesNotContain("Pattern verification failed");
        }
        assertCheckIsClean(ours);
        host.run("qemu-io", "-f", "raw", "-c", "read -P 0xcd 0 1M", base.toString());
    }

    @Test
    void anOverlayOnAFrozenQcow2OverlayMatchesQemuImgAndReadsThroughBothLayers() throws IOException {
        Path base = base("rootfs.ext4");
        host.run("qemu-io", "-f", "raw", "-c", "write -P 0xcd 0 1M", base.toString());
        Path frozen = tmp.resolve("snapshot/work.qcow2");
        Files.createDirectories(frozen.getParent());
        cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, frozen, 2 * GIB);
        assertThat(qemuIo(frozen, "write -P 0xee 64k 64k").exitCode()).isZero();
        Path ours = tmp.resolve("ours.qcow2");
        Path theirs = tmp.resolve("theirs.qcow2");

        cloner.clone(CloneStrategy.QCOW2_OVERLAY, frozen, ours, 0);

        host.run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", frozen.toString(), theirs.toString());
        assertThat(Files.mismatch(ours, theirs)).as("first differing byte against qemu-img's file").isEqualTo(-1L);
        assertThat(DiskCloner.virtualSize(ours)).isEqualTo(2 * GIB);
        assertCheckIsClean(ours);
        for (String read : List.of("read -P 0xcd 0 64k", "read -P 0xee 64k 64k", "read -P 0 1G 64k")) {
            CommandResult result = qemuIo(ours, read);
            assertThat(result.exitCode()).as("%s: %s", read, result.stderr()).isZero();
            assertThat(result.stdout()).doesNotContain("Pattern verification failed");
        }
    }
}
