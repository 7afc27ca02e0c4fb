package dev.banger.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VmmKindTest {
    @Test
    void wireNamesAreTheOnesConfigRowsAndStoredInstancesAlreadyUse() {
        assertThat(VmmKind.QEMU.wireName()).isEqualTo("qemu");
        assertThat(VmmKind.FIRECRACKER.wireName()).isEqualTo("firecracker");
    }

    @Test
    void aNameIsReadBackAsItsKindAndAnUnknownNameAsNone() {
        assertThat(VmmKind.ofWireName("qemu")).contains(VmmKind.QEMU);
        assertThat(VmmKind.ofWireName("firecracker")).contains(VmmKind.FIRECRACKER);
        assertThat(VmmKind.ofWireName("fake")).isEmpty();
        assertThat(VmmKind.ofWireName("QEMU")).isEmpty();
    }
}
