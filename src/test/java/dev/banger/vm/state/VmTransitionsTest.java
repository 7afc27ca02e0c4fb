package dev.banger.vm.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.VmState;
import org.junit.jupiter.api.Test;

class VmTransitionsTest {
    @Test
    void theLifecycleMovesAVmFromCreatingThroughRunningAndStoppedToDeleting() {
        assertThat(VmTransitions.allowed(VmState.CREATING, VmState.RUNNING)).isTrue();
        assertThat(VmTransitions.allowed(VmState.RUNNING, VmState.STOPPED)).isTrue();
        assertThat(VmTransitions.allowed(VmState.STOPPED, VmState.RUNNING)).isTrue();
        assertThat(VmTransitions.allowed(VmState.FAILED, VmState.RUNNING)).isTrue();
        assertThat(VmTransitions.allowed(VmState.RUNNING, VmState.DELETING)).isTrue();
        assertThat(VmTransitions.allowed(VmState.CREATING, VmState.DELETING)).as("reconcile rolls back a killed create").isTrue();
    }

    @Test
    void everyStateMayBeWrittenAgainWithANewPidOrRuntime() {
        for (VmState state : VmState.values()) {
            assertThat(VmTransitions.allowed(state, state)).as(state.wireName()).isTrue();
        }
    }

    @Test
    void aDeletingVmNeverComesBackAndACreatingOneIsNeverStoppedOrFailed() {
        for (VmState to : VmState.values()) {
            assertThat(VmTransitions.allowed(VmState.DELETING, to)).as("deleting -> " + to.wireName()).isEqualTo(to == VmState.DELETING);
        }
        assertThat(VmTransitions.allowed(VmState.CREATING, VmState.STOPPED)).isFalse();
        assertThat(VmTransitions.allowed(VmState.CREATING, VmState.FAILED)).isFalse();
        assertThat(VmTransitions.allowed(VmState.STOPPED, VmState.CREATING)).isFalse();
        assertThat(VmTransitions.allowed(VmState.STOPPED, VmState.FAILED)).isFalse();
    }

    @Test
    void theStatesBeforeEachStateAreExactlyThoseItMayFollow() {
        for (VmState to : VmState.values()) {
            for (VmState from : VmState.values()) {
                assertThat(VmTransitions.before(to).contains(from)).as(from.wireName() + " -> " + to.wireName())
                        .isEqualTo(VmTransitions.allowed(from, to));
            }
        }
    }

    @Test
    void anIllegalTransitionIsAConflictNamingBothStates() {
        assertThatThrownBy(() -> VmTransitions.require("dev1", VmState.DELETING, VmState.RUNNING))
                .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("'dev1' is deleting and cannot become running");
    }
}
