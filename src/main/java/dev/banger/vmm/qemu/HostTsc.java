package dev.banger.vmm.qemu;

import java.math.BigDecimal;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's TSC frequency, read from {@code /proc/cpuinfo}. A {@code -M microvm} guest under TCG
 * has no HPET or PM timer to calibrate its TSC against (and calibrating against QEMU's PIT fails under
 * emulation, measured with {@code pit=on}), so it hangs at "Marking TSC unstable" unless the command line carries
 * {@code tsc_early_khz}. Under TCG the guest TSC is the host TSC, so the host's frequency is the
 * right value. Only trusted when the CPU flags say the TSC is constant. Stateless.
 */
public final class HostTsc {
    private static final Pattern MHZ = Pattern.compile("(?m)^cpu MHz\\s*:\\s*([0-9]+(?:\\.[0-9]+)?)\\s*$");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags\\s*:(.*)$");

    private HostTsc() {
    }

    /** The first CPU's TSC frequency in kHz, or empty when the text does not state a constant TSC. */
    public static OptionalLong khzFromCpuinfo(String cpuinfo) {
        Matcher flags = FLAGS.matcher(cpuinfo);
        if (!flags.find() || !(" " + flags.group(1) + " ").contains(" constant_tsc ")) {
            return OptionalLong.empty();
        }
        Matcher mhz = MHZ.matcher(cpuinfo);
        if (!mhz.find()) {
            return OptionalLong.empty();
        }
        long khz = new BigDecimal(mhz.group(1)).movePointRight(3).longValue();
        return khz > 0 ? OptionalLong.of(khz) : OptionalLong.empty();
    }
}
