package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KnownMachinesTest {
    private static final Path WARM = Path.of("/var/lib/banger/warm/1-1");
    private static final Path VM = Path.of("/var/lib/banger/vms/dev1");

    private final KnownMachines known = new KnownMachines();

    @Test
    void aProvenMachineIsKnownByPidStartTimeAndDirectory() {
        known.remember(4242, 9000, VM);

        assertThat(known.isKnown(4242, 9000, VM)).isTrue();
        assertThat(known.isKnown(4242, 9001, VM)).as("the pid recycled by a later process").isFalse();
        assertThat(known.isKnown(4242, 9000, WARM)).as("another directory").isFalse();
        assertThat(known.isKnown(4243, 9000, VM)).isFalse();
    }

    @Test
    void aMoveCarriesAKnownMachineToItsNewDirectory() {
        known.remember(4242, 9000, WARM);

        assertThat(known.moved(4242, 9000, WARM, VM)).isTrue();

        assertThat(known.isKnown(4242, 9000, VM)).isTrue();
        assertThat(known.isKnown(4242, 9000, WARM)).isFalse();
    }

    @Test
    void aMoveOfAMachineNotKnownThereChangesNothing() {
        known.remember(4242, 9000, WARM);

        assertThat(known.moved(4242, 9001, WARM, VM)).as("a recycled pid").isFalse();
        assertThat(known.moved(4242, 9000, Path.of("/elsewhere"), VM)).isFalse();
        assertThat(known.moved(7, 9000, WARM, VM)).isFalse();

        assertThat(known.isKnown(4242, 9000, WARM)).isTrue();
        assertThat(known.isKnown(4242, 9000, VM)).isFalse();
        assertThat(known.isKnown(7, 9000, VM)).isFalse();
    }

    @Test
    void aForgottenMachineIsProvenAgain() {
        known.remember(4242, 9000, VM);
        known.forget(4242);

        assertThat(known.isKnown(4242, 9000, VM)).isFalse();
    }
}
