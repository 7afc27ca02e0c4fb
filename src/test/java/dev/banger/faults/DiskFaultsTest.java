package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.ImageDetails;
import dev.banger.model.ImageStatus;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.rpc.RpcException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk faults with a real daemon and image, no guest boot needed: a VM directory on a file
 * system too small for the work disk, and a work seed whose bytes were flipped.
 */
@Tag("root")
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskFaultsTest {
    private Path dir;
    private FaultLab lab;

    @BeforeAll
    void setUp(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path image = FaultLab.cachedImage();
        lab = new FaultLab(dir, 1);
        lab.startDaemon();
        lab.registerImage(image);
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void fullDiskDuringTheWorkDiskCloneFailsClearlyAndRollsEverythingBack() throws Exception {
        Path vms = lab.sandbox.paths().stateDir().resolve("vms");
        // Room for the root disk's qcow2 overlay and a little more, not for the work seed's data.
        long overlay = overlayBytes(lab.sandbox.paths().stateDir().resolve("images").resolve(FaultLab.IMAGE).resolve("rootfs.ext4"));
        lab.mountTmpfs(vms, overlay + (128 << 10));
        try {
            Operation failed = lab.awaitCreate(lab.beginCreate("full1").id(), Duration.ofMinutes(3));

            assertThat(failed.state()).isEqualTo(OperationState.FAILED);
            assertThat(failed.error()).as("the error names the disk and the lack of space")
                    .contains("work.ext4").containsIgnoringCase("no space left");
            assertThat(failed.stages()).filteredOn(s -> s.name().equals("work-disk")).singleElement()
                    .extracting(Stage::state).isEqualTo(StageState.FAILED);
            assertThat(failed.stages()).filteredOn(s -> s.state() == StageState.ROLLED_BACK).extracting(Stage::name)
                    .containsExactlyInAnyOrder("root-disk", "allocate");
            assertThat(lab.vms()).isEmpty();
            assertThat(lab.leftovers("full1", false)).isEmpty();
            try (var entries = Files.list(vms)) {
                assertThat(entries).as("nothing left on the small file system").isEmpty();
            }
        } finally {
            lab.unmount(vms);
        }
    }

    @Test
    @Order(2) // leaves the image needing a rebuild
    void corruptWorkSeedIsCaughtByItsFingerprintAndTheImageMarkedForRebuild() throws Exception {
        lab.call("image.promote", Map.of("name", FaultLab.IMAGE), Map.class);
        Path seed = lab.call("image.show", Map.of("name", FaultLab.IMAGE), ImageDetails.class).image().workSeed();
        flipFirstByteOf(seed, "/.bashrc");

        // The default image is checked on every daemon start.
        lab.terminateDaemon(Duration.ofSeconds(60));
        lab.startDaemon();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        ImageStatus status;
        do {
            lab.pause();
            status = lab.call("image.show", Map.of("name", FaultLab.IMAGE), ImageDetails.class).image().status();
        } while (status != ImageStatus.NEEDS_REBUILD && System.nanoTime() < deadline);

        assertThat(status).isEqualTo(ImageStatus.NEEDS_REBUILD);
        assertThat(lab.log()).contains("the work seed's fingerprint is");
        assertThatThrownBy(() -> lab.beginCreate("seed1"))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("needs a rebuild").hasMessageContaining("rebuild-rootfs " + FaultLab.IMAGE);
        assertThat(lab.vms()).isEmpty();
        assertThat(lab.leftovers("seed1", false)).isEmpty();
    }

    /** Bytes a fresh qcow2 overlay of {@code base} takes, as the daemon makes it for a root disk. */
    private long overlayBytes(Path base) throws IOException {
        Path probe = dir.resolve("probe.qcow2");
        lab.host.run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base.toString(), probe.toString(), "2G");
        long bytes = Files.size(probe);
        Files.delete(probe);
        return bytes;
    }

    /** Inverts the first data byte of {@code file} inside the ext4 image {@code image}. */
    private void flipFirstByteOf(Path image, String file) throws IOException {
        String stats = lab.host.run("debugfs", "-R", "stats", image.toString()).stdout();
        Matcher size = Pattern.compile("Block size:\\s+(\\d+)").matcher(stats);
        assertThat(size.find()).as("block size in %s", stats).isTrue();
        String blocks = lab.host.run("debugfs", "-R", "blocks " + file, image.toString()).stdout().strip();
        assertThat(blocks).as("blocks of %s", file).matches("\\d+( \\d+)*");
        long offset = Long.parseLong(blocks.split(" ")[0]) * Long.parseLong(size.group(1));
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xff);
        }
    }
}
