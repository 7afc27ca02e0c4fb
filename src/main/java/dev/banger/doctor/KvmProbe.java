package dev.banger.doctor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The KVM test boot: the command that boots a guest kernel under {@code -accel kvm} with no root
 * disk, and the pure judgement of what it printed. A kernel that gets as far as looking for its
 * root file system (and panicking without one) or running init has proven KVM; QEMU errors such
 * as {@code failed to set MSR 0x10a}, or silence until the deadline, disprove it. Stateless.
 */
public final class KvmProbe {
    /** Exit codes of coreutils {@code timeout}: deadline hit (TERM sent), and KILL needed. */
    static final int TIMEOUT_EXIT = 124;
    static final int KILLED_EXIT = 137;

    private static final List<String> PROGRESS_MARKERS = List.of(
            "Kernel panic", "VFS: Unable to mount root", "Run /init", "Run /sbin/init", "Run /bin/sh");
    /** QEMU prefixes its own messages with its program name: {@code qemu-system-x86_64: ...}. */
    private static final Pattern QEMU_MESSAGE = Pattern.compile("^\\S*qemu[^:\\s]*: ");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001Bc");

    private KvmProbe() {
    }

    /**
     * The probe's argv: {@code timeout} bounds it so that whatever the kernel printed before a hang
     * is still captured (a program killed by our own timeout loses its output).
     */
    public static List<String> command(String qemu, Path kernel, Duration limit) {
        return List.of("timeout", "--kill-after=5", Long.toString(Math.max(1, limit.toSeconds())),
                qemu, "-accel", "kvm", "-cpu", "host", "-nographic", "-no-reboot",
                "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1");
    }

    /**
     * Decides from the probe's combined output and exit status.
     *
     * @param output   serial console and QEMU's stderr
     * @param exitCode exit status of {@link #command}; {@value #TIMEOUT_EXIT} or {@value #KILLED_EXIT} mean the deadline hit
     * @param limit    the deadline the probe ran under, for the message
     */
    public static KvmVerdict judge(String output, int exitCode, Duration limit) {
        List<String> lines = output.lines().map(KvmProbe::clean).filter(l -> !l.isEmpty()).toList();
        Optional<String> progress = lines.stream()
                .filter(l -> PROGRESS_MARKERS.stream().anyMatch(l::contains))
                .findFirst();
        if (progress.isPresent()) {
            return new KvmVerdict(true, "the guest kernel booted under KVM to \"" + progress.get() + "\"");
        }
        Optional<String> error = lines.stream()
                .filter(l -> QEMU_MESSAGE.matcher(l).find() || l.contains("failed to set MSR")
                        || l.startsWith("KVM internal error"))
                .filter(l -> !l.contains("terminating on signal"))
                .findFirst();
        boolean timedOut = exitCode == TIMEOUT_EXIT || exitCode == KILLED_EXIT;
        if (error.isPresent()) {
            return new KvmVerdict(false, "QEMU reported: " + error.get());
        }
        if (timedOut) {
            String last = lines.stream().filter(l -> !l.contains("terminating on signal")).reduce((a, b) -> b)
                    .map(l -> " (last output: \"" + l + "\")").orElse(" (no output)");
            return new KvmVerdict(false, "the guest kernel hung under KVM: it did not reach its root-mount "
                    + "panic within " + limit.toSeconds() + " s" + last);
        }
        if (exitCode != 0) {
            String last = lines.isEmpty() ? "no output" : "\"" + lines.getLast() + "\"";
            return new KvmVerdict(false, "QEMU exited with status " + exitCode + " before the kernel booted: " + last);
        }
        return new KvmVerdict(false, "QEMU exited before the guest kernel got far enough to prove KVM works");
    }

    /** Strips console escape sequences, the kernel's timestamp and surrounding blanks. */
    private static String clean(String line) {
        String plain = ANSI.matcher(line).replaceAll("").strip();
        return plain.replaceFirst("^\\[\\s*\\d+\\.\\d+\\]\\s*", "");
    }
}
