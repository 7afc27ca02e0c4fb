package dev.banger.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.VmmChoice;
import dev.banger.model.ErrorKind;
import org.junit.jupiter.api.Test;

class VmmSelectorTest {
    private static final VmmSelector.HostFacts ALL = new VmmSelector.HostFacts(true, true);
    private static final VmmSelector.HostFacts NO_BINARY = new VmmSelector.HostFacts(false, true);
    private static final VmmSelector.HostFacts NO_KVM = new VmmSelector.HostFacts(true, false);
    private static final VmmSelector.HostFacts NOTHING = new VmmSelector.HostFacts(false, false);

    @Test
    void autoPicksFirecrackerOnlyWhenItsBinaryIsPresentAndKvmRunsGuests() {
        assertThat(VmmSelector.select(VmmChoice.AUTO, ALL)).isEqualTo(VmmKind.FIRECRACKER);
        assertThat(VmmSelector.select(VmmChoice.AUTO, NO_BINARY)).isEqualTo(VmmKind.QEMU);
        assertThat(VmmSelector.select(VmmChoice.AUTO, NO_KVM)).isEqualTo(VmmKind.QEMU);
        assertThat(VmmSelector.select(VmmChoice.AUTO, NOTHING)).isEqualTo(VmmKind.QEMU);
    }

    @Test
    void explicitQemuIsHonouredEvenWhereFirecrackerCouldRun() {
        assertThat(VmmSelector.select(VmmChoice.QEMU, ALL)).isEqualTo(VmmKind.QEMU);
        assertThat(VmmSelector.select(VmmChoice.QEMU, NOTHING)).isEqualTo(VmmKind.QEMU);
    }

    @Test
    void explicitFirecrackerWithEverythingItNeedsIsFirecracker() {
        assertThat(VmmSelector.select(VmmChoice.FIRECRACKER, ALL)).isEqualTo(VmmKind.FIRECRACKER);
    }

    @Test
    void explicitFirecrackerWithoutKvmIsAPreconditionFailureSayingWhy() {
        assertThatThrownBy(() -> VmmSelector.select(VmmChoice.FIRECRACKER, NO_KVM))
                .isInstanceOf(VmmException.class)
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("KVM cannot run an ordinary guest")
                .hasMessageNotContaining("no firecracker binary")
                .hasMessageContaining("vmm = \"auto\" or \"qemu\"");
    }

    @Test
    void explicitFirecrackerWithoutItsBinaryNamesTheMissingBinary() {
        assertThatThrownBy(() -> VmmSelector.select(VmmChoice.FIRECRACKER, NO_BINARY))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("no firecracker binary was found")
                .hasMessageNotContaining("KVM cannot");
    }

    @Test
    void explicitFirecrackerWithNeitherFactNamesBoth() {
        assertThatThrownBy(() -> VmmSelector.select(VmmChoice.FIRECRACKER, NOTHING))
                .hasMessageContaining("no firecracker binary was found")
                .hasMessageContaining("KVM cannot run an ordinary guest");
    }
}
