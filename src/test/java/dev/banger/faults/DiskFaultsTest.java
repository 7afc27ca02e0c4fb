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
import dev.banger.vm.FaultPoints;
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
    private FaultLab lab;

    @BeforeAll
    void setUp(@TempDir Path tempDir) throws Exception {
        lab = FaultLab.withCachedImage(tempDir, 1);
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
        lab.mountTmpfs(vms, 16 << 20);
        Path filler = vms.resolve(".filler");
        try {
            lab.terminateDaemon(Duration.ofSeconds(60));
            lab.startDaemon("vm-create:work-disk");
            String operation = lab.beginCreate("full1").id();
            lab.awaitHeld("vm-create", "work-disk", Duration.ofMinutes(2));
            // Root disk and TAP run beside the held work disk; once they are done the file system
            // fills up, before the work disk is cloned.
            lab.awaitStagesDone(operation, java.util.Set.of("root-disk", "network"), Duration.ofMinutes(1));
            fill(filler);
            Files.delete(FaultPoints.marker(lab.sandbox.paths().runtimeDir(), "vm-create", "work-disk"));
            Operation failed = lab.awaitCreate(operation, Duration.ofMinutes(3));
            System.out.println("faults: full disk during the work-disk clone: " + failed.error());
            Files.delete(filler);

            assertThat(failed.state()).isEqualTo(OperationState.FAILED);
            assertThat(failed.error()).as("the error names the disk and the lack of space")
                    .containsPattern("work\\.(ext4|qcow2)").containsIgnoringCase("no space left");
            assertThat(failed.stages()).filteredOn(s -> s.name().equals("work-disk")).singleElement()
                    .extracting(Stage::state).isEqualTo(StageState.FAILED);
            assertThat(failed.stages()).filteredOn(s -> s.state() == StageState.ROLLED_BACK).extracting(Stage::name)
                    .containsExactlyInAnyOrder("root-disk", "network", "allocate");
            assertThat(lab.vms()).isEmpty();
            assertThat(lab.leftovers("full1", false)).isEmpty();
            try (var entries = Files.list(vms)) {
                assertThat(entries).as("nothing left on the small file system").isEmpty();
            }
        } finally {
            Files.deleteIfExists(filler);
            if (lab.vm("full1").isPresent()) {
                lab.call("vm.delete", Map.of("names", java.util.List.of("full1")), dev.banger.model.VmDeleteResult.class);
            }
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

    /** Writes {@code file} until its file system has no space left. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 << 10];
        java.util.Arrays.fill(chunk, (byte) 0x5a);
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).as("filling %s", file).containsIgnoringCase("no space left");
        }
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
