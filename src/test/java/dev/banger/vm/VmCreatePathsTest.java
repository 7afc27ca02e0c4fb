package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.disk.Ext4Tool;
import dev.banger.image.Ext4Images;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.VmInfo;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vm.create.LaunchPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast paths a create takes, and the deliberate slow path the benchmark compares them with. */
class VmCreatePathsTest {
    private static final long GIB = 1L << 30;
    private static final long SEED_BYTES = 16L << 20;

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        service = fx.service(VmFixture.QUICK);
        fx.vmm.health(vm -> FakeAgent.report(true, true, true, FakeVmm.HOST_KEY));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void anImageWhoseGuestGrowsRootGetsItsSeedAtTheAskedSizeAndTheHostDoesNoResize() {
        CreatePlan plan = service.plan(new CreateRequest("dev1", VmFixture.DEV_IMAGE, null, null, null));

        service.create(plan, new RecordingStages());

        Path work = fx.vmDir("dev1").resolve("work.ext4");
        assertThat(guestGrows(plan)).isTrue();
        assertThat(work).hasSize(GIB);
        assertThat(new Ext4Tool(fx.real).superblock(work).sizeBytes()).as("the seed's file system, for the guest to grow")
                .isEqualTo(SEED_BYTES);
    }

    @Test
    void anImageThatDoesNotSayItsGuestGrowsRootHasItsFileSystemGrownByTheHost() {
        CreatePlan plan = service.plan(new CreateRequest("dev1", VmFixture.IMAGE, null, null, null));

        service.create(plan, new RecordingStages());

        assertThat(guestGrows(plan)).isFalse();
        assertThat(new Ext4Tool(fx.real).superblock(fx.vmDir("dev1").resolve("work.ext4")).sizeBytes()).isEqualTo(GIB);
    }

    @Test
    void theSlowPathCopiesTheRootDiskBuildsRootFromTheRootfsAndMakesADedicatedTapThatDeleteRemoves() throws IOException {
        fx.store.images().insert(imageWithRootHome("slow-image"));
        RecordingStages stages = new RecordingStages();

        CreatePlan plan = service.plan(new CreateRequest("dev1", "slow-image", null, null, null, true));
        VmInfo info = service.create(plan, stages);

        assertThat(stages.done()).containsExactlyInAnyOrderElementsOf(plan.stages());
        assertThat(info.rootDisk()).isEqualTo("sparse-copy");
        assertThat(info.tap()).startsWith("tap-vm-");
        assertThat(fx.taps()).containsExactly(info.tap());
        Path work = fx.vmDir("dev1").resolve("work.ext4");
        assertThat(new Ext4Tool(fx.real).superblock(work).sizeBytes()).isEqualTo(GIB);
        Path home = Files.createDirectories(dir.resolve("home-out"));
        new Ext4Images(fx.real).extract(work, "/", home);
        assertThat(home.resolve("marker")).hasContent("from the rootfs");
        assertThat(fx.vmDir("dev1").resolve("work-tree")).doesNotExist();

        service.delete(List.of("dev1"));

        assertThat(fx.tapsDeleted()).containsExactly(info.tap());
        assertThat(fx.taps()).isEmpty();
        assertThat(fx.vmDir("dev1")).doesNotExist();
    }

    @Test
    void preparingTheHostFillsTheTapPoolBeforeAnyCreate() {
        VmService pooled = fx.service(fx.host(2), VmFixture.QUICK);

        VmService.HostReady ready = pooled.prepareHost(java.time.Duration.ofSeconds(20), null, null, null, null, false);

        assertThat(ready.warmTaps()).isEqualTo(2);
        assertThat(fx.taps()).containsExactlyInAnyOrder("tap-pool-0", "tap-pool-1");
    }

    /** An image whose rootfs is a real ext4 with a {@code /root} to build the work disk from. */
    private Image imageWithRootHome(String name) throws IOException {
        Path tree = Files.createDirectories(dir.resolve(name + "-tree/root"));
        Files.writeString(tree.resolve("marker"), "from the rootfs");
        Path rootfs = dir.resolve(name + "-rootfs.ext4");
        fx.real.run(Command.of("mkfs.ext4", "-q", "-F", "-d", tree.getParent().toString(), rootfs.toString(), "16M"));
        return new Image(name, "debian", fx.image.kernel(), null, null, rootfs, fx.image.workSeed(), "{}", null,
                ImageStatus.READY, fx.image.createdAt(), false, false);
    }

    /** Whether the plan leaves growing {@code /root} to the guest. */
    private static boolean guestGrows(CreatePlan plan) {
        return plan.launch() instanceof LaunchPath.ColdBoot(var root, LaunchPath.CloneSeed(var strategy, boolean grows), var tap)
                && grows;
    }
}
