package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.vm.boot.BootDeadlines;
import dev.banger.vm.state.VmException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's test-only switch ({@link FaultPoints#SKIP_GUEST_WAIT_ENV}) as the create and delete see it. */
class SkipGuestWaitTest {
    private static final BootDeadlines SHORT = new BootDeadlines(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(400));

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        service = fx.service(SHORT);
        service.useFaultPoints(FaultPoints.fromEnvironment(Map.of(FaultPoints.SKIP_GUEST_WAIT_ENV, "soak-"), dir));
        fx.vmm.health(vm -> null); // an agent that never answers: only a create that does not wait can succeed
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private VmInfo create(String name, RecordingStages stages) {
        return service.create(service.plan(new CreateRequest(name, null, null, null, null)), stages);
    }

    @Test
    void aCreateOfANameWithThePrefixDoesItsHostSideAndRunsWithoutWaitingForItsGuest() {
        RecordingStages stages = new RecordingStages();

        VmInfo info = create("soak-1", stages);

        assertThat(info.state()).isEqualTo(VmState.RUNNING);
        assertThat(stages.done()).containsExactlyInAnyOrderElementsOf(List.of("validate", "allocate", "root-disk", "work-disk",
                "network", "capabilities", "vmm-start", "boot", "sshd", "services", "shares"));
        assertThat(stages.rolledBackStages()).isEmpty();
        assertThat(fx.vmm.started()).hasSize(1);
        assertThat(info.tap()).isNotNull();

        VmDeleteResult deleted = service.delete(List.of("soak-1"));

        assertThat(deleted.allDeleted()).isTrue();
        assertThat(fx.vmm.stopped()).hasSize(1);
        assertThat(fx.vmDir("soak-1")).doesNotExist();
    }

    @Test
    void aCreateOfAnyOtherNameStillWaitsForItsAgent() {
        assertThatThrownBy(() -> create("dev1", new RecordingStages())).isInstanceOf(VmException.class)
                .hasMessageContaining("gave up waiting");
    }
}
