package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingStartTest {
    @TempDir
    Path vmDir;

    @Test
    void markerSaysWhichCallLetsTheGuestRunUntilItIsCleared() throws Exception {
        FirecrackerLayout paths = new FirecrackerLayout(vmDir);
        assertThat(PendingStart.of(paths)).as("no marker: the guest has run").isEmpty();

        PendingStart.RESUME.mark(paths);
        assertThat(PendingStart.of(paths)).contains(PendingStart.RESUME);
        assertThat(PendingStart.RESUME.call()).isEqualTo(FirecrackerPlan.resumeLoaded());

        PendingStart.BOOT.mark(paths);
        assertThat(PendingStart.of(paths)).contains(PendingStart.BOOT);
        assertThat(PendingStart.BOOT.call()).isEqualTo(FirecrackerPlan.start());

        PendingStart.clear(paths);
        assertThat(paths.preBootMarker()).doesNotExist();
    }

    @Test
    void emptyMarkerWrittenBeforeSnapshotsExistedStillMeansInstanceStart() throws Exception {
        FirecrackerLayout paths = new FirecrackerLayout(vmDir);
        Files.writeString(paths.preBootMarker(), "");

        assertThat(PendingStart.of(paths)).contains(PendingStart.BOOT);
    }
}
