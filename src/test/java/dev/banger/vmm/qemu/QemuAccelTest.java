package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QemuAccelTest {
    @Test
    void kvmIsChosenOnlyWhenDoctorSawItRunAnOrdinaryGuest() {
        assertThat(QemuAccel.choose(true)).isEqualTo(QemuAccel.KVM);
        assertThat(QemuAccel.choose(false)).isEqualTo(QemuAccel.TCG);
    }

    @Test
    void kvmUsesTheHostCpuAndTcgTheEmulatorsRichestModel() {
        assertThat(QemuAccel.KVM.cpuModel()).isEqualTo("host");
        assertThat(QemuAccel.TCG.cpuModel()).isEqualTo("max");
        assertThat(QemuAccel.TCG.accelName()).isEqualTo("tcg");
    }
}
