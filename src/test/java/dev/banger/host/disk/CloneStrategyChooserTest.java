package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloneStrategyChooserTest {
    private static HostDiskFacts facts(boolean dm, boolean reflink, boolean qcow2) {
        return new HostDiskFacts(dm, reflink, qcow2);
    }

    @Test
    void rootDiskUsesAQcow2OverlayWhenTheBackendTakesQcow2EvenWithEverythingElseAvailable() {
        assertThat(CloneStrategyChooser.choose(facts(true, true, true), DiskRole.ROOT)).isEqualTo(CloneStrategy.QCOW2_OVERLAY);
    }

    @Test
    void rootDiskUsesADmSnapshotOnARawOnlyBackendWithDeviceMapper() {
        assertThat(CloneStrategyChooser.choose(facts(true, true, false), DiskRole.ROOT)).isEqualTo(CloneStrategy.DM_SNAPSHOT);
    }

    @Test
    void rootDiskUsesAReflinkOnARawOnlyBackendWithoutDeviceMapper() {
        assertThat(CloneStrategyChooser.choose(facts(false, true, false), DiskRole.ROOT)).isEqualTo(CloneStrategy.REFLINK);
    }

    @Test
    void rootDiskFallsBackToASparseCopyWhenNothingElseWorks() {
        assertThat(CloneStrategyChooser.choose(facts(false, false, false), DiskRole.ROOT)).isEqualTo(CloneStrategy.SPARSE_COPY);
    }

    @Test
    void workDiskUsesAReflinkWhenItWorksWhateverElseIsAvailable() {
        assertThat(CloneStrategyChooser.choose(facts(true, true, true), DiskRole.WORK, true)).isEqualTo(CloneStrategy.REFLINK);
    }

    @Test
    void workDiskNeverUsesADmSnapshotBecauseItCannotBeGrown() {
        assertThat(CloneStrategyChooser.choose(facts(true, false, false), DiskRole.WORK)).isEqualTo(CloneStrategy.SPARSE_COPY);
    }

    @Test
    void workDiskUsesASparseCopyRatherThanAnOverlayUnlessAsked() {
        assertThat(CloneStrategyChooser.choose(facts(false, false, true), DiskRole.WORK)).isEqualTo(CloneStrategy.SPARSE_COPY);
    }

    @Test
    void workDiskUsesAnOverlayWhenAllowedAndTheBackendTakesQcow2() {
        assertThat(CloneStrategyChooser.choose(facts(false, false, true), DiskRole.WORK, true)).isEqualTo(CloneStrategy.QCOW2_OVERLAY);
    }

    @Test
    void workDiskOverlayIsNotUsedOnARawOnlyBackendEvenWhenAllowed() {
        assertThat(CloneStrategyChooser.choose(facts(false, false, false), DiskRole.WORK, true)).isEqualTo(CloneStrategy.SPARSE_COPY);
    }

    @Test
    void onlyTheOverlayIsQcow2AndOnlyCopiesGrowOnTheHost() {
        assertThat(CloneStrategy.QCOW2_OVERLAY.format()).isEqualTo(DiskFormat.QCOW2);
        assertThat(CloneStrategy.DM_SNAPSHOT.format()).isEqualTo(DiskFormat.RAW);
        assertThat(CloneStrategy.REFLINK.growableOnHost()).isTrue();
        assertThat(CloneStrategy.SPARSE_COPY.growableOnHost()).isTrue();
        assertThat(CloneStrategy.QCOW2_OVERLAY.growableOnHost()).isFalse();
        assertThat(CloneStrategy.DM_SNAPSHOT.growableOnHost()).isFalse();
    }
}
