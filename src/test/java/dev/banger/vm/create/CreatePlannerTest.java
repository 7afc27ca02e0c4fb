package dev.banger.vm.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.DiskFormat;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.image.Distro;
import dev.banger.image.ImageManifest;
import dev.banger.image.Profile;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.snapshot.SnapshotMeta;
import dev.banger.vm.snapshot.SnapshotShape;
import dev.banger.vm.warm.WarmShape;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.BackendChoice;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner as a pure function: requests and host facts in, plans out; nothing runs. */
class CreatePlannerTest {
    private static final Path DIR = Path.of("/images/dev");
    private static final Image IMAGE = new Image("dev", "debian", DIR.resolve("vmlinux"), null, null, DIR.resolve("rootfs.ext4"),
            DIR.resolve("work-seed.ext4"), "{}", null, ImageStatus.READY, Instant.parse("2026-11-23T10:00:00Z"), false, false);
    private static final BackendChoice QEMU = new BackendChoice("qemu", Acceleration.kvm("test"));
    /** A host with reflink but no device mapper, for a backend that opens qcow2 and adopts paused machines. */
    private static final CreatePlanner.HostFacts QEMU_HOST = new CreatePlanner.HostFacts(new HostDiskFacts(false, true, true), true,
            true);

    private static Optional<ImageManifest> manifest(Profile profile, boolean guestGrows, boolean configDrive) {
        return Optional.of(new ImageManifest(Distro.DEBIAN, "bookworm", "6.1.0", profile, List.of("git"), "sha256:" + "ab".repeat(32),
                Instant.parse("2026-11-23T10:00:00Z"), "0.1.0", guestGrows, configDrive));
    }

    private static CreatePlan plan(boolean slowPath, Optional<ImageManifest> manifest, CreatePlanner.HostFacts facts) {
        CreatePlanner.Request request = new CreatePlanner.Request(null, 2, 1024, 8L << 30, slowPath);
        return CreatePlanner.plan("dev1", request, IMAGE, manifest, QEMU, facts);
    }

    @Test
    void anImageBangerDidNotBuildBootsColdWithTheCheapestClonesAndAPoolTap() {
        CreatePlan plan = plan(false, Optional.empty(), QEMU_HOST);

        assertThat(plan.launch()).isEqualTo(new LaunchPath.ColdBoot(CloneStrategy.QCOW2_OVERLAY,
                new LaunchPath.CloneSeed(CloneStrategy.REFLINK, false), TapSource.POOL));
        assertThat(plan.services()).isEmpty();
        assertThat(plan.diskBytes()).isEqualTo(8L << 30);
        assertThat(plan.memoryMib()).isEqualTo(1024);
    }

    @Test
    void aBackendWithoutQcow2GetsADeviceMapperRootAndASparseWorkCopyWithoutReflink() {
        CreatePlan plan = plan(false, manifest(Profile.MINIMAL, true, false),
                new CreatePlanner.HostFacts(new HostDiskFacts(true, false, false), false, true));

        assertThat(plan.launch()).isEqualTo(new LaunchPath.ColdBoot(CloneStrategy.DM_SNAPSHOT,
                new LaunchPath.CloneSeed(CloneStrategy.SPARSE_COPY, true), TapSource.POOL));
    }

    @Test
    void aGuestThatGrowsRootAndReadsTheConfigDriveMayBecomeAWarmMachineAndBootsColdOtherwise() {
        CreatePlan plan = plan(false, manifest(Profile.DEV, true, true), new CreatePlanner.HostFacts(new HostDiskFacts(false, false, true),
                true, true));

        assertThat(plan.launch()).isEqualTo(new LaunchPath.WarmMachine(WarmShape.of(IMAGE, 2, 1024, 8L << 30),
                new LaunchPath.ColdBoot(CloneStrategy.QCOW2_OVERLAY, new LaunchPath.CloneSeed(CloneStrategy.QCOW2_OVERLAY, true),
                        TapSource.POOL)));
        assertThat(plan.services()).containsExactly("opencode");
    }

    @Test
    void noWarmMachineForABackendThatCannotAdoptOneAnImageWithoutSeedOrWithoutConfigDrive() {
        Optional<ImageManifest> warmable = manifest(Profile.DEV, true, true);

        assertThat(plan(false, warmable, new CreatePlanner.HostFacts(new HostDiskFacts(false, true, false), false, true)).launch())
                .isInstanceOf(LaunchPath.ColdBoot.class);
        assertThat(plan(false, warmable, new CreatePlanner.HostFacts(new HostDiskFacts(false, true, true), true, false)).launch())
                .isInstanceOf(LaunchPath.ColdBoot.class);
        assertThat(plan(false, manifest(Profile.DEV, true, false), QEMU_HOST).launch()).isInstanceOf(LaunchPath.ColdBoot.class);
        assertThat(plan(false, manifest(Profile.DEV, false, true), QEMU_HOST).launch()).isInstanceOf(LaunchPath.ColdBoot.class);
    }

    @Test
    void theSlowPathCopiesTheRootBuildsWorkFromTheRootfsTakesADedicatedTapAndNeverAWarmMachine() {
        CreatePlan plan = plan(true, manifest(Profile.DEV, true, true), QEMU_HOST);

        assertThat(plan.launch()).isEqualTo(new LaunchPath.ColdBoot(CloneStrategy.SPARSE_COPY, new LaunchPath.FromRootfs(),
                TapSource.DEDICATED));
        assertThat(plan.services()).containsExactly("opencode");
    }

    private static GoldenSnapshot snapshot(DiskFormat format, long workBytes) {
        SnapshotShape shape = new SnapshotShape("dev", "qemu", false, 2, 1024, "k".repeat(64), "console=ttyS0", "agent", "0.1.0");
        return new GoldenSnapshot(DIR.resolve("snapshots/x"), new SnapshotMeta(shape, "sha256:" + "ab".repeat(32),
                Instant.parse("2026-12-05T10:00:00Z"), "02:b9:00:00:00:01", format, workBytes, false));
    }

    private static CreatePlanner.HostFacts withSnapshot(CreatePlanner.HostFacts facts, GoldenSnapshot snapshot) {
        return new CreatePlanner.HostFacts(facts.disks(), facts.adoptsPausedMachines(), facts.workSeedPresent(), Optional.of(snapshot));
    }

    @Test
    void aSnapshotOfTheShapeIsRestoredOverOverlaysOnItsFrozenDisksAndBootsColdOtherwise() {
        GoldenSnapshot snapshot = snapshot(DiskFormat.QCOW2, 1L << 30);

        CreatePlan plan = plan(false, manifest(Profile.DEV, true, true), withSnapshot(QEMU_HOST, snapshot));

        assertThat(plan.launch()).isEqualTo(new LaunchPath.Restore(snapshot, CloneStrategy.QCOW2_OVERLAY, CloneStrategy.QCOW2_OVERLAY,
                new LaunchPath.ColdBoot(CloneStrategy.QCOW2_OVERLAY, new LaunchPath.CloneSeed(CloneStrategy.REFLINK, true),
                        TapSource.POOL), WarmShape.restoring(plan.image(), snapshot)));
        assertThat(((LaunchPath.Restore) plan.launch()).warm()).satisfies(warm -> {
            assertThat(warm.restores()).isTrue();
            assertThat(warm.diskBytes()).as("made at the frozen size, grown when taken").isEqualTo(1L << 30);
            assertThat(warm.vcpus()).isEqualTo(2);
        });
        assertThat(plan.stages()).containsExactly("validate", "allocate", "root-disk", "work-disk", "network", "capabilities",
                "restore", "identity", "sshd", "services", "shares");
    }

    @Test
    void aRawSnapshotIsClonedByTheHostsCheapestCopyForABackendWithoutQcow2() {
        GoldenSnapshot snapshot = snapshot(DiskFormat.RAW, 1L << 30);

        CreatePlan plan = plan(false, manifest(Profile.MINIMAL, true, true),
                withSnapshot(new CreatePlanner.HostFacts(new HostDiskFacts(false, true, false), false, true), snapshot));

        assertThat(plan.launch()).isInstanceOfSatisfying(LaunchPath.Restore.class, restore -> {
            assertThat(restore.rootDisk()).isEqualTo(CloneStrategy.REFLINK);
            assertThat(restore.workDisk()).isEqualTo(CloneStrategy.REFLINK);
            assertThat(restore.warm()).as("a backend that adopts no paused machine gets no restored ones").isNull();
        });
    }

    @Test
    void coldTheSlowPathAndADiskSmallerThanTheFrozenOneBootInsteadOfRestoring() {
        CreatePlanner.HostFacts facts = withSnapshot(QEMU_HOST, snapshot(DiskFormat.QCOW2, 1L << 30));
        Optional<ImageManifest> manifest = manifest(Profile.DEV, true, true);

        CreatePlan cold = CreatePlanner.plan("dev1", new CreatePlanner.Request(null, 2, 1024, 8L << 30, false, true), IMAGE, manifest,
                QEMU, facts);
        CreatePlan slow = plan(true, manifest, facts);
        CreatePlan small = CreatePlanner.plan("dev1", new CreatePlanner.Request(null, 2, 1024, 512L << 20, false), IMAGE, manifest,
                QEMU, facts);

        assertThat(cold.launch()).isInstanceOf(LaunchPath.WarmMachine.class);
        assertThat(slow.launch()).isEqualTo(LaunchPath.ColdBoot.slowPath());
        assertThat(small.launch()).isInstanceOf(LaunchPath.WarmMachine.class);
        assertThat(cold.stages()).contains("vmm-start", "boot").doesNotContain("restore", "identity");
    }
}
