package dev.banger.vm.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.vm.RecordingStages;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The stage enum is the pipeline's order and the rollback's. */
class CreateStageTest {
    @Test
    void wireNamesAreTheStoredStageNamesInPipelineOrder() {
        assertThat(CreateStage.wireNames()).containsExactly("validate", "allocate", "root-disk", "work-disk", "network",
                "capabilities", "restore", "identity", "vmm-start", "boot", "sshd", "services", "shares");
    }

    @Test
    void rollbackRunsLatestStageFirstAndNewestFirstWithinAStageWhateverOrderTheyWerePushedIn() {
        UndoLog undos = new UndoLog();
        List<String> ran = new CopyOnWriteArrayList<>();
        undos.push(CreateStage.ALLOCATE, () -> ran.add("row"));
        undos.push(CreateStage.ALLOCATE, () -> ran.add("dir"));
        // Side-by-side stages finish in any order: network before the root disk here.
        undos.push(CreateStage.NETWORK, () -> ran.add("tap"));
        undos.push(CreateStage.ROOT_DISK, () -> ran.add("root"));
        undos.push(CreateStage.VMM_START, () -> ran.add("vmm"));
        undos.push(CreateStage.CAPABILITIES, () -> ran.add("capabilities"));
        RecordingStages stages = new RecordingStages();

        undos.rollBack("dev1", stages);

        assertThat(ran).containsExactly("vmm", "capabilities", "tap", "root", "dir", "row");
        assertThat(stages.rolledBackStages()).containsExactly("vmm-start", "capabilities", "network", "root-disk", "allocate");
    }

    @Test
    void aFailingUndoDoesNotStopTheOthers() {
        UndoLog undos = new UndoLog();
        List<String> ran = new CopyOnWriteArrayList<>();
        undos.push(CreateStage.ALLOCATE, () -> ran.add("row"));
        undos.push(CreateStage.WORK_DISK, () -> {
            throw new IllegalStateException("disk busy");
        });
        RecordingStages stages = new RecordingStages();

        undos.rollBack("dev1", stages);

        assertThat(ran).containsExactly("row");
        assertThat(stages.rolledBackStages()).containsExactly("work-disk", "allocate");
    }
}
