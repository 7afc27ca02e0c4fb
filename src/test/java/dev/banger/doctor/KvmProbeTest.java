package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KvmProbeTest {
    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Test
    void commandBootsTheKernelUnderKvmWithoutRebootingBoundedByTimeout() {
        assertThat(KvmProbe.command("qemu-system-x86_64", Path.of("/k/vmlinux"), LIMIT)).containsExactly(
                "timeout", "--kill-after=5", "15",
                "qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-nographic", "-no-reboot",
                "-kernel", "/k/vmlinux", "-append", "console=ttyS0 panic=-1");
    }

    @Test
    void rootMountPanicProvesKvm() {
        String serial = """
                [    0.000000] Linux version 6.1.0-56-cloud-amd64
                [    1.158632] VFS: Disk quotas dquot_6.6.0
                [    1.717398] VFS: Cannot open root device "(null)" or unknown-block(0,0): error -6
                [    1.717850] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)
                """;

        KvmVerdict verdict = KvmProbe.judge(serial, 0, LIMIT);

        assertThat(verdict.usable()).isTrue();
        assertThat(verdict.evidence()).contains("\"Kernel panic - not syncing: VFS: Unable to mount root fs");
    }

    @Test
    void reachingInitProvesKvmEvenWhenTheGuestThenRunsUntilTheDeadline() {
        String serial = "[    0.9] Freeing unused kernel image memory\n[    1.0] Run /init as init process\n";

        assertThat(KvmProbe.judge(serial, KvmProbe.TIMEOUT_EXIT, LIMIT).usable()).isTrue();
    }

    @Test
    void msrErrorDisprovesKvmAndIsQuoted() {
        String output = "\nqemu-system-x86_64: error: failed to set MSR 0x10a to 0x20000000c04\n"
                + "qemu-system-x86_64: ../target/i386/kvm/kvm.c:3174: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n";

        KvmVerdict verdict = KvmProbe.judge(output, 134, LIMIT);

        assertThat(verdict.usable()).isFalse();
        assertThat(verdict.evidence()).isEqualTo("QEMU reported: qemu-system-x86_64: error: failed to set MSR 0x10a to 0x20000000c04");
    }

    @Test
    void silenceUntilTheDeadlineIsAHangNamingTheLastOutput() {
        // What this host's kvm_pvm printed for Debian's cloud kernel.
        String output = "\u001Bc\u001B[?7l\u001B[2J\u001B[0mSeaBIOS (version 1.16.2-debian-1.16.2-1)\n\nBooting from ROM...\n"
                + "Probing EDD (edd=off to disable)... ok\n\u001Bc\u001B[?7l\u001B[2J"
                + "\nqemu-system-x86_64: terminating on signal 15 from pid 15365 (timeout)\n";

        KvmVerdict verdict = KvmProbe.judge(output, KvmProbe.TIMEOUT_EXIT, LIMIT);

        assertThat(verdict.usable()).isFalse();
        assertThat(verdict.evidence())
                .startsWith("the guest kernel hung under KVM")
                .contains("within 15 s")
                .contains("last output: \"Probing EDD (edd=off to disable)... ok\"");
    }

    @Test
    void killedAfterTheDeadlineIsAlsoAHang() {
        assertThat(KvmProbe.judge("", KvmProbe.KILLED_EXIT, LIMIT).evidence()).contains("hung").contains("(no output)");
    }

    @Test
    void qemuFailingToOpenKvmDisprovesIt() {
        KvmVerdict verdict = KvmProbe.judge(
                "Could not access KVM kernel module: Permission denied\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied\n",
                1, LIMIT);

        assertThat(verdict.usable()).isFalse();
        assertThat(verdict.evidence()).contains("failed to initialize kvm");
    }

    @Test
    void nonZeroExitWithoutARecognisedErrorQuotesTheLastLine() {
        KvmVerdict verdict = KvmProbe.judge("something odd\n", 3, LIMIT);

        assertThat(verdict.usable()).isFalse();
        assertThat(verdict.evidence()).isEqualTo("QEMU exited with status 3 before the kernel booted: \"something odd\"");
    }

    @Test
    void cleanExitWithoutProgressIsNotProof() {
        assertThat(KvmProbe.judge("[    0.0] Linux version 6.1\n", 0, LIMIT).usable()).isFalse();
    }

    @Test
    void kernelLinesMentioningKvmAreNotMistakenForQemuErrors() {
        String serial = "[    0.000000] kvm-clock: Using msrs 4b564d01 and 4b564d00\n";

        assertThat(KvmProbe.judge(serial, KvmProbe.TIMEOUT_EXIT, LIMIT).evidence()).startsWith("the guest kernel hung");
    }
}
