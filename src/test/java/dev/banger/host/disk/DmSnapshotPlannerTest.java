package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DmSnapshotPlannerTest {
    @Test
    void theTableIsOneArgumentNamingBothLoopsPersistentWith4KiBChunks() {
        assertThat(DmSnapshotPlanner.create("banger-dev1-root-0a1b2c3d", 131072, Path.of("/dev/loop3"), Path.of("/dev/loop4")))
                .containsExactly("dmsetup", "create", "banger-dev1-root-0a1b2c3d", "--table",
                        "0 131072 snapshot /dev/loop3 /dev/loop4 P 8");
    }

    @Test
    void theBaseIsAttachedReadOnlyAndTheCowReadWrite() {
        assertThat(DmSnapshotPlanner.attachBase(Path.of("/images/deb/rootfs.ext4")))
                .containsExactly("losetup", "--find", "--show", "--read-only", "/images/deb/rootfs.ext4");
        assertThat(DmSnapshotPlanner.attachCow(Path.of("/vms/dev1/root.cow")))
                .containsExactly("losetup", "--find", "--show", "/vms/dev1/root.cow");
    }

    @Test
    void theDeviceNameIsReadableStableAndDiffersBetweenPaths() {
        String name = DmSnapshotPlanner.deviceName(Path.of("/var/lib/banger/vms/dev1/root.cow"));

        assertThat(name).matches("banger-dev1-root-[0-9a-f]{8}");
        assertThat(DmSnapshotPlanner.deviceName(Path.of("/var/lib/banger/vms/dev1/root.cow"))).isEqualTo(name);
        assertThat(DmSnapshotPlanner.deviceName(Path.of("/srv/banger/vms/dev1/root.cow"))).isNotEqualTo(name);
    }

    @Test
    void oddCharactersInTheTargetPathNeverReachTheDeviceName() {
        String name = DmSnapshotPlanner.deviceName(Path.of("/vms/My VM;$(x)/--Root Disk.img"));

        assertThat(name).matches("banger-[a-z0-9._-]+").doesNotContain(" ", ";", "$", "(");
    }

    @Test
    void anInvalidDeviceNameIsRefused() {
        assertThatThrownBy(() -> DmSnapshotPlanner.remove("../control"))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("device-mapper name");
    }

    @Test
    void aBaseThatIsNotWholeSectorsIsRefused() {
        assertThatThrownBy(() -> DmSnapshotPlanner.sectors(Path.of("/b.ext4"), 1000))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("1000 bytes");
        assertThat(DmSnapshotPlanner.sectors(Path.of("/b.ext4"), 64L << 20)).isEqualTo(131072);
    }

    @Test
    void theCowFileHasRoomForEveryChunkPlusItsExceptionTables() {
        long base = 1L << 30;

        long cow = DmSnapshotPlanner.cowBytes(base);

        assertThat(cow).isGreaterThanOrEqualTo(base + base / 256 + 4096);
        assertThat(cow % 512).isZero();
    }

    @Test
    void onlyLoopDevicesAreAcceptedFromLosetup() {
        assertThat(DmSnapshotPlanner.requireLoop("/dev/loop12\n")).isEqualTo(Path.of("/dev/loop12"));
        assertThatThrownBy(() -> DmSnapshotPlanner.requireLoop("losetup: cannot find an unused loop device"))
                .isInstanceOf(DiskException.class);
        assertThat(DmSnapshotPlanner.detach(Path.of("/dev/loop3"))).isEqualTo(List.of("losetup", "--detach", "/dev/loop3"));
    }
}
