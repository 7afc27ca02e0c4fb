package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostTscTest {
    private static final String EPYC = """
            processor	: 0
            vendor_id	: AuthenticAMD
            model name	: AMD EPYC
            cpu MHz		: 2596.132
            flags		: fpu vme tsc msr constant_tsc nonstop_tsc tsc_known_freq
            
            processor	: 1
            cpu MHz		: 1200.000
            flags		: fpu vme tsc msr constant_tsc nonstop_tsc tsc_known_freq
            """;

    @Test
    void firstCpusMegahertzBecomesKilohertzWhenTheTscIsConstant() {
        assertThat(HostTsc.khzFromCpuinfo(EPYC)).isEqualTo(OptionalLong.of(2_596_132));
    }

    @Test
    void aTscThatIsNotConstantGivesNoFrequency() {
        assertThat(HostTsc.khzFromCpuinfo(EPYC.replace("constant_tsc", "")))
                .isEmpty();
    }

    @Test
    void cpuinfoWithoutMegahertzGivesNoFrequency() {
        assertThat(HostTsc.khzFromCpuinfo("processor\t: 0\nflags\t\t: fpu constant_tsc\n")).isEmpty();
    }
}
