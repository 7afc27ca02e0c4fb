package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.CommandResult;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskClonerTest {
    private static final long BASE_BYTES = 64L << 20;
    private static final Path BASE_LOOP = Path.of("/dev/loop3");
    private static final Path COW_LOOP = Path.of("/dev/loop4");

    @TempDir
    Path tmp;
    private Path base;
    private Path target;
    private RecordingHostCommands host;
    private FakeTime time;
    private DiskCloner cloner;

    /** A clock that only moves when the cloner sleeps, and remembers each sleep. */
    private static final class FakeTime implements InstantSource, Sleeper {
        private Instant now = Instant.parse("2026-12-02T00:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        base = tmp.resolve("rootfs.ext4");
        try (RandomAccessFile file = new RandomAccessFile(base.toFile(), "rw")) {
            file.setLength(BASE_BYTES);
        }
        Files.createDirectories(tmp.resolve("vms/dev1"));
        target = tmp.resolve("vms/dev1/root.cow");
        host = new RecordingHostCommands()
                .answer(List.of("losetup", "--find", "--show", "--read-only"), 0, BASE_LOOP + "\n", "")
                .answer(List.of("losetup", "--find", "--show", target.toString()), 0, COW_LOOP + "\n", "");
        time = new FakeTime();
        cloner = new DiskCloner(host, time, time);
    }

    private static CommandResult result(dev.banger.host.Command command, int exit, String stdout, String stderr) {
        return new CommandResult(command, exit, stdout, stderr, Duration.ZERO);
    }

    private ClonedDisk snapshotDisk() {
        String name = DmSnapshotPlanner.deviceName(target);
        var dm = new ClonedDisk.DmSnapshot(name, base, BASE_LOOP, target, COW_LOOP, BASE_BYTES / 512);
        return new ClonedDisk(CloneStrategy.DM_SNAPSHOT, dm.device(), DiskFormat.RAW, target, Optional.of(dm));
    }

    private void loopsBack(Path baseFile, Path cowFile) {
        host.answer(List.of("losetup", "--list", "--noheadings", "--output", "BACK-FILE", BASE_LOOP.toString()), 0, baseFile + "\n", "");
        host.answer(List.of("losetup", "--list", "--noheadings", "--output", "BACK-FILE", COW_LOOP.toString()), 0, cowFile + "\n", "");
    }

    @Test
    void aDmSnapshotAttachesTheBaseReadOnlyThenTheSparseCowThenCreatesTheTable() throws IOException {
        ClonedDisk disk = cloner.clone(CloneStrategy.DM_SNAPSHOT, base, target, 0);

        String name = DmSnapshotPlanner.deviceName(target);
        assertThat(host.recorded()).containsExactly(
                List.of("losetup", "--find", "--show", "--read-only", base.toString()),
                List.of("losetup", "--find", "--show", target.toString()),
                List.of("dmsetup", "create", name, "--table", "0 131072 snapshot /dev/loop3 /dev/loop4 P 8"));
        assertThat(disk.path()).isEqualTo(Path.of("/dev/mapper", name));
        assertThat(disk.format()).isEqualTo(DiskFormat.RAW);
        assertThat(disk.file()).isEqualTo(target);
        assertThat(disk.snapshot()).contains(new ClonedDisk.DmSnapshot(name, base, BASE_LOOP, target, COW_LOOP, 131072));
        assertThat(Files.size(target)).isEqualTo(DmSnapshotPlanner.cowBytes(BASE_BYTES));
    }

    @Test
    void aFailedTableCreationDetachesBothLoopsNewestFirstAndDeletesTheCow() {
        host.answer(List.of("dmsetup", "create"), 1, "", "device-mapper: reload ioctl failed: Invalid argument");

        assertThatThrownBy(() -> cloner.clone(CloneStrategy.DM_SNAPSHOT, base, target, 0))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("undone")
                .hasMessageContaining("Invalid argument");

        List<List<String>> recorded = host.recorded();
        assertThat(recorded.subList(3, recorded.size())).containsExactly(
                List.of("losetup", "--detach", "/dev/loop4"),
                List.of("losetup", "--detach", "/dev/loop3"));
        assertThat(target).doesNotExist();
    }

    @Test
    void aFailedCowAttachDetachesTheBaseLoopOnlyAndDeletesTheCow() {
        host.answer(List.of("losetup", "--find", "--show", target.toString()), 1, "", "losetup: cannot find an unused loop device");

        assertThatThrownBy(() -> cloner.clone(CloneStrategy.DM_SNAPSHOT, base, target, 0))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("unused loop device");

        assertThat(host.recorded()).containsExactly(
                List.of("losetup", "--find", "--show", "--read-only", base.toString()),
                List.of("losetup", "--find", "--show", target.toString()),
                List.of("losetup", "--detach", "/dev/loop3"));
        assertThat(target).doesNotExist();
    }

    @Test
    void aDmSnapshotLargerThanItsBaseIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> cloner.clone(CloneStrategy.DM_SNAPSHOT, base, target, BASE_BYTES * 2))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("cannot be larger than its base");
        assertThat(host.recorded()).isEmpty();
        assertThat(target).doesNotExist();
    }

    @Test
    void aBusyMappingIsRetriedWithDoublingDelaysUntilItGoes() {
        AtomicInteger attempts = new AtomicInteger();
        host.answer(List.of("dmsetup", "remove"), c -> attempts.incrementAndGet() <= 3
                ? result(c, 1, "", "device-mapper: remove ioctl on x failed: Device or resource busy")
                : result(c, 0, "", ""));
        loopsBack(base, target);

        cloner.deactivate(snapshotDisk());

        assertThat(time.sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(host.recorded().stream().filter(argv -> argv.contains("--detach")).toList()).containsExactly(
                List.of("losetup", "--detach", "/dev/loop4"),
                List.of("losetup", "--detach", "/dev/loop3"));
    }

    @Test
    void aMappingBusyForeverFailsAfterAboutFiveSecondsAndLeavesTheLoopsAttached() {
        host.answer(List.of("dmsetup", "remove"), 1, "", "device-mapper: remove ioctl on x failed: Device or resource busy");
        loopsBack(base, target);

        assertThatThrownBy(() -> cloner.deactivate(snapshotDisk()))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("still busy")
                .satisfies(e -> assertThat(((DiskException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));

        assertThat(time.sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(DiskCloner.BUSY_RETRY_BUDGET);
        assertThat(time.sleeps).hasSizeLessThanOrEqualTo(10);
        assertThat(host.recorded()).noneMatch(argv -> argv.contains("--detach"));
    }

    @Test
    void removingWhatIsAlreadyGoneSucceedsWithoutDetachingAnything() {
        host.answer(List.of("dmsetup", "remove"), 1, "", "Device banger-x not found\nCommand failed.");

        cloner.remove(snapshotDisk());

        assertThat(host.recorded()).noneMatch(argv -> argv.contains("--detach"));
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void aLoopDeviceNowBackingAnotherFileIsLeftAlone() throws IOException {
        Files.createFile(target);
        loopsBack(Path.of("/somewhere/else.img"), Path.of(target + " (deleted)"));

        cloner.remove(snapshotDisk());

        assertThat(host.recorded().stream().filter(argv -> argv.contains("--detach")).toList())
                .containsExactly(List.of("losetup", "--detach", "/dev/loop4"));
        assertThat(target).doesNotExist();
    }

    @Test
    void aLoopReportedUnderAnotherPathToTheSameFileIsStillDetached() throws IOException {
        Files.createSymbolicLink(tmp.resolve("state-link"), tmp);
        loopsBack(tmp.resolve("state-link").resolve(base.getFileName()), target);
        Files.createFile(target);

        cloner.deactivate(snapshotDisk());

        assertThat(host.recorded().stream().filter(argv -> argv.contains("--detach")).toList()).containsExactly(
                List.of("losetup", "--detach", "/dev/loop4"),
                List.of("losetup", "--detach", "/dev/loop3"));
    }

    @Test
    void anUnexpectedDmsetupFailureIsReportedWithItsWords() {
        host.answer(List.of("dmsetup", "remove"), 1, "", "Incompatible libdevmapper");

        assertThatThrownBy(() -> cloner.deactivate(snapshotDisk()))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("dmsetup remove")
                .hasMessageContaining("Incompatible libdevmapper");
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void aReflinkCloneIsOneCpAlwaysReflinking() {
        ClonedDisk disk = cloner.clone(CloneStrategy.REFLINK, base, target, 0);

        assertThat(host.recorded()).containsExactly(List.of("cp", "--reflink=always", base.toString(), target.toString()));
        assertThat(disk).isEqualTo(new ClonedDisk(CloneStrategy.REFLINK, target, DiskFormat.RAW, target, Optional.empty()));
    }

    @Test
    void aSparseCopyKeepsHoles() {
        cloner.clone(CloneStrategy.SPARSE_COPY, base, target, 0);

        assertThat(host.recorded()).containsExactly(List.of("cp", "--sparse=always", base.toString(), target.toString()));
    }

    @Test
    void anOverlayIsWrittenInProcessWithItsRawBackingFileAndTheVirtualSize() throws IOException {
        ClonedDisk disk = cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, target, BASE_BYTES * 4);

        assertThat(host.recorded()).isEmpty();
        assertThat(Files.readAllBytes(target)).isEqualTo(Qcow2Overlay.image(base.toString(), BASE_BYTES * 4));
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(disk).isEqualTo(new ClonedDisk(CloneStrategy.QCOW2_OVERLAY, target, DiskFormat.QCOW2, target, Optional.empty()));
    }

    @Test
    void anOverlayWithoutASizeTakesTheSizeOfItsBase() throws IOException {
        cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, target, 0);

        assertThat(ByteBuffer.wrap(Files.readAllBytes(target)).getLong(24)).isEqualTo(BASE_BYTES);
    }

    @Test
    void anOverlayTooLargeForQcow2IsRefusedAndLeavesNoFile() {
        assertThatThrownBy(() -> cloner.clone(CloneStrategy.QCOW2_OVERLAY, base, target, 1L << 52))
                .isInstanceOf(DiskException.class)
                .hasMessageStartingWith("cannot make a qcow2 overlay of " + base + " at " + target)
                .hasMessageContaining("at most")
                .satisfies(e -> assertThat(((DiskException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(target).doesNotExist();
    }

    @Test
    void aFailedCopyRemovesThePartialTarget() {
        host.answer(List.of("cp"), c -> {
            try {
                Files.writeString(target, "partial");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return result(c, 1, "", "cp: error writing: No space left on device");
        });

        assertThatThrownBy(() -> cloner.clone(CloneStrategy.SPARSE_COPY, base, target, 0))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("No space left on device");
        assertThat(target).doesNotExist();
    }

    @Test
    void anExistingTargetIsNeverOverwritten() throws IOException {
        Files.writeString(target, "someone's disk");

        assertThatThrownBy(() -> cloner.clone(CloneStrategy.SPARSE_COPY, base, target, 0))
                .isInstanceOf(DiskException.class)
                .satisfies(e -> assertThat(((DiskException) e).kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(Files.readString(target)).isEqualTo("someone's disk");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aCloneSmallerThanItsBaseOrWithARelativePathIsRefused() {
        assertThatThrownBy(() -> cloner.clone(CloneStrategy.REFLINK, base, target, BASE_BYTES - 512))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("cannot be smaller");
        assertThatThrownBy(() -> cloner.clone(CloneStrategy.REFLINK, base, Path.of("-rf"), 0))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("must be absolute");
        assertThat(host.recorded()).isEmpty();
    }
}
