package dev.banger.vm.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.ProcessHostCommands;
import dev.banger.host.disk.DiskFormat;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden snapshots on disk: made, found by shape and image, retired, and removed once no VM uses them. */
class GoldenSnapshotsTest {
    private static final String SEED = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private final GoldenSnapshots store = new GoldenSnapshots(new ProcessHostCommands());
    private Image image;

    @BeforeEach
    void setUp() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images/dev"));
        image = image(SEED);
        Files.writeString(images.resolve("rootfs.ext4"), "rootfs");
    }

    private Image image(String fingerprint) {
        Path images = dir.resolve("images/dev");
        return new Image("dev", "debian", images.resolve("vmlinux"), null, null, images.resolve("rootfs.ext4"),
                images.resolve("work-seed.ext4"), "{}", fingerprint, ImageStatus.READY, Instant.parse("2026-12-05T10:00:00Z"), false,
                false);
    }

    private static SnapshotShape shape(int vcpus) {
        return new SnapshotShape("dev", "qemu", false, vcpus, 512, "k".repeat(64), "console=ttyS0", "agent-1", "0.1.0");
    }

    private GoldenSnapshot make(SnapshotShape shape) throws IOException {
        Path fresh = store.newDir(image, shape);
        Files.writeString(fresh.resolve("state"), "saved guest");
        return store.commit(fresh, new SnapshotMeta(shape, GoldenSnapshots.fingerprint(image), Instant.now(), "02:b9:00:00:00:01",
                DiskFormat.QCOW2, 1L << 30, false));
    }

    @Test
    void aCommittedSnapshotIsFoundForItsShapeOnlyAndItsDirectoryIsPrivate() throws IOException {
        GoldenSnapshot made = make(shape(1));

        assertThat(store.find(image, shape(1))).contains(made);
        assertThat(store.find(image, shape(2))).isEmpty();
        assertThat(made.dir().getParent()).isEqualTo(GoldenSnapshots.root(image));
        assertThat(Files.getPosixFilePermissions(made.dir())).hasToString("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
        assertThat(made.files().state()).hasContent("saved guest");
        assertThat(store.view(made).sizeBytes()).isGreaterThanOrEqualTo("saved guest".length());
    }

    @Test
    void aSnapshotsSizeIsWhatItHoldsNotTheLengthOfItsSparseMemoryFile() throws IOException {
        GoldenSnapshot made = make(shape(1));
        try (RandomAccessFile memory = new RandomAccessFile(made.dir().resolve("memory").toFile(), "rw")) {
            memory.setLength(512L << 20); // a 512 MiB guest that touched one page
            memory.write(new byte[4096]);
        }

        assertThat(store.view(made).sizeBytes()).isGreaterThan(4096).isLessThan(1L << 20);
    }

    @Test
    void anImageWhoseSeedChangedNeverRestoresTheOldSnapshot() throws IOException {
        make(shape(1));

        assertThat(store.find(image("sha256:" + "cd".repeat(32)), shape(1))).isEmpty();
    }

    @Test
    void aNewSnapshotOfTheSameShapeRetiresTheOldOneWhoseFilesStayWhileAVmUsesThem() throws IOException {
        GoldenSnapshot old = make(shape(1));
        GoldenSnapshot fresh = make(shape(1));

        assertThat(store.active(image)).containsExactly(fresh);
        assertThat(store.collect(image, Set.of(old.dir()))).isZero();
        assertThat(old.dir()).exists();

        assertThat(store.collect(image, Set.of())).isEqualTo(1);
        assertThat(old.dir()).doesNotExist();
        assertThat(fresh.dir()).exists();
    }

    @Test
    void retiringByShapeCountsRestoresAndClearsAMakersLeftovers() throws IOException {
        GoldenSnapshot one = make(shape(1));
        GoldenSnapshot two = make(shape(2));
        Path leftover = store.newDir(image, shape(4));
        store.restored(one);
        store.restored(one);

        assertThat(store.view(one).restores()).isEqualTo(2);
        assertThat(store.retire(image, snapshot -> snapshot.shape().vcpus() == 2)).containsExactly(two);
        assertThat(store.active(image)).containsExactly(one);
        assertThat(store.collect(image, Set.of())).isEqualTo(2);
        assertThat(leftover).doesNotExist();
        assertThat(two.dir()).doesNotExist();
    }

    @Test
    void theShapeKeyChangesWithEveryField() {
        SnapshotShape base = shape(1);

        assertThat(base.key()).hasSize(16).isEqualTo(shape(1).key());
        assertThat(new SnapshotShape("dev", "qemu", false, 1, 512, "k".repeat(64), "console=ttyS0", "agent-2", "0.1.0").key())
                .isNotEqualTo(base.key());
        assertThat(new SnapshotShape("dev", "qemu", true, 1, 512, "k".repeat(64), "console=ttyS0", "agent-1", "0.1.0").key())
                .as("a snapshot saved under emulation does not load under KVM").isNotEqualTo(base.key());
        assertThat(new SnapshotShape("dev", "qemu", false, 1, 512, "k".repeat(64), "console=ttyS0", "agent-1", "0.2.0").key())
                .isNotEqualTo(base.key());
    }

    @Test
    void snapshotsOfOneShapeMadeInTheSameMillisecondGetDirectoriesOfTheirOwn() throws IOException {
        GoldenSnapshots stopped = new GoldenSnapshots(new ProcessHostCommands(), () -> 1_796_500_000_000L);
        List<Path> dirs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path fresh = stopped.newDir(image, shape(1));
            Files.writeString(fresh.resolve("state"), "saved guest");
            dirs.add(stopped.commit(fresh, new SnapshotMeta(shape(1), GoldenSnapshots.fingerprint(image), Instant.now(),
                    "02:b9:00:00:00:01", DiskFormat.QCOW2, 1L << 30, false)).dir());
        }

        assertThat(dirs).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(dir).isDirectory());
        assertThat(stopped.active(image)).singleElement().extracting(GoldenSnapshot::dir).isEqualTo(dirs.getLast());
    }
}
