package dev.banger.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    /** A real stat line shape, with a command name holding spaces and both parentheses. */
    private static final String STAT = "4242 (qemu (vm) dev 1) S 1 4242 4242 0 -1 4194560 12345 0 7 0 "
            + "250 130 0 0 20 0 3 0 98765 123456789 4096 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0";

    @Test
    void timesComeFromFieldsCountedAfterTheLastClosingParenthesis() {
        ProcStat.Times times = ProcStat.times(STAT);

        assertThat(times.userTicks()).isEqualTo(250);
        assertThat(times.systemTicks()).isEqualTo(130);
        assertThat(times.startTicks()).isEqualTo(98765);
        assertThat(times.cpuSeconds()).isEqualTo(3.8);
        assertThat(times.state()).isEqualTo('S');
        assertThat(times.zombie()).isFalse();
        assertThat(ProcStat.times(STAT.replace(") S 1 ", ") Z 1 ")).zombie()).isTrue();
    }

    @Test
    void lineWithoutACommandNameIsRejected() {
        assertThatThrownBy(() -> ProcStat.times("4242 S 1 2 3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a /proc/PID/stat line");
    }

    @Test
    void rssIsVmRssInBytes() {
        String status = "Name:\tqemu-system-x86\nVmPeak:\t  900000 kB\nVmRSS:\t  204800 kB\nThreads:\t3\n";

        assertThat(ProcStat.rssBytes(status)).hasValue(204800L * 1024);
    }

    @Test
    void statusWithoutVmRssHasNoRss() {
        assertThat(ProcStat.rssBytes("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEmpty();
    }

    @Test
    void uptimeIsTheFirstNumberOfProcUptime() {
        assertThat(ProcStat.uptimeSeconds("35921.55 70432.10\n")).isEqualTo(35921.55);
    }
}
