package dev.banger.doctor;

import static dev.banger.doctor.KvmTestBootOutput.MSR;
import static dev.banger.doctor.KvmTestBootOutput.PANIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.VmmChoice;
import dev.banger.host.HostException;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmCheckTest {

    @TempDir
    Path temp;

    private TestHost machine;
    private Path kernel;
    private final BangerConfig auto = BangerConfig.defaults();
    private final BangerConfig firecracker = BangerConfig.defaults().withVmm(VmmChoice.FIRECRACKER);

    @BeforeEach
    void setUp() throws IOException {
        machine = new TestHost(temp).touch("/proc/sys/kernel/osrelease", "6.18.44-test\n");
        kernel = temp.resolve("vmlinux");
        Files.writeString(kernel, "not really a kernel");
    }

    private RecordingHostCommands qemuThatPrints(String stdout, String stderr, int exitCode) {
        return new RecordingHostCommands()
                .withPrograms("qemu-system-x86_64")
                .answer(List.of("qemu-system-x86_64", "--version"), 0, "QEMU emulator version 7.2.22\nCopyright\n", "")
                .answer(List.of("timeout"), exitCode, stdout, stderr);
    }

    private static long probes(RecordingHostCommands host) {
        return host.recorded().stream().filter(argv -> argv.getFirst().equals("timeout")).count();
    }

    @Test
    void missingDeviceWarnsThatQemuFallsBackToTcg() {
        CheckResult result = new KvmCheck(machine.context(new RecordingHostCommands(), auto, kernel)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("/dev/kvm does not exist").contains("QEMU with TCG");
        assertThat(result.remedy()).contains("modprobe kvm_intel");
    }

    @Test
    void missingDeviceFailsWhenFirecrackerIsConfigured() {
        CheckResult result = new KvmCheck(machine.context(new RecordingHostCommands(), firecracker, kernel)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("vmm = \"firecracker\"");
        assertThat(result.remedy()).contains("vmm = \"qemu\"");
    }

    @Test
    void withoutAGuestKernelKvmIsUnprovenAndTheWarningSaysHowToGetOne() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = qemuThatPrints(PANIC, "", 0);

        CheckResult result = new KvmCheck(machine.context(host, auto)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("unproven");
        assertThat(result.remedy()).contains("banger runtime bootstrap");
        assertThat(probes(host)).isZero();
    }

    @Test
    void withoutQemuKvmIsUnproven() {
        machine.touch("/dev/kvm");

        CheckResult result = new KvmCheck(machine.context(new RecordingHostCommands(), auto, kernel)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("unproven").contains("qemu-system-x86_64 is not installed");
    }

    @Test
    void kernelReachingItsRootMountPanicMakesKvmOkAndTheProbeRunsTheDocumentedCommand() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = qemuThatPrints(PANIC, "", 0);

        CheckResult result = new KvmCheck(machine.context(host, auto, kernel)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.detail()).contains("KVM runs an ordinary guest").contains("Kernel panic");
        assertThat(host.recorded()).contains(List.of("timeout", "--kill-after=5", "15", "qemu-system-x86_64",
                "-accel", "kvm", "-cpu", "host", "-nographic", "-no-reboot",
                "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1"));
    }

    @Test
    void secondRunReusesTheCachedVerdictWithoutBooting() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = qemuThatPrints(PANIC, "", 0);
        DoctorContext ctx = machine.context(host, auto, kernel);

        CheckResult first = new KvmCheck(ctx).run();
        CheckResult second = new KvmCheck(ctx).run();

        assertThat(probes(host)).isEqualTo(1);
        assertThat(second.status()).isEqualTo(first.status());
        assertThat(second.detail()).contains("cached");
        assertThat(machine.paths.cacheDir().resolve("doctor")).isDirectoryContaining("glob:**/kvm-*.verdict");
    }

    @Test
    void changedGuestKernelIsProbedAgain() throws IOException {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = qemuThatPrints(PANIC, "", 0);
        DoctorContext ctx = machine.context(host, auto, kernel);

        new KvmCheck(ctx).run();
        Files.writeString(kernel, "a different, longer kernel image");
        new KvmCheck(ctx).run();

        assertThat(probes(host)).isEqualTo(2);
    }

    @Test
    void changedHostKernelIsProbedAgain() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = qemuThatPrints(PANIC, "", 0);
        DoctorContext ctx = machine.context(host, auto, kernel);

        new KvmCheck(ctx).run();
        machine.touch("/proc/sys/kernel/osrelease", "6.19.0-other\n");
        new KvmCheck(ctx).run();

        assertThat(probes(host)).isEqualTo(2);
    }

    @Test
    void msrFailureWarnsWithTheEvidenceAndNamesKvmPvm() {
        machine.touch("/dev/kvm").mkdir("/sys/module/kvm_pvm");
        RecordingHostCommands host = qemuThatPrints("", MSR, 1);

        CheckResult result = new KvmCheck(machine.context(host, auto, kernel)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail())
                .contains("KVM cannot run an ordinary guest")
                .contains("failed to set MSR 0x10a")
                .contains("kvm_pvm")
                .contains("QEMU with TCG");
        assertThat(result.remedy()).contains("nested virtualization");
    }

    @Test
    void hangFailsWhenFirecrackerIsConfigured() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = qemuThatPrints("Booting from ROM...\n", "", KvmProbe.TIMEOUT_EXIT);

        CheckResult result = new KvmCheck(machine.context(host, firecracker, kernel)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("hung");
    }

    @Test
    void probeThatCannotRunWarnsAndIsNotCached() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = new RecordingHostCommands()
                .withPrograms("qemu-system-x86_64")
                .answer(List.of("qemu-system-x86_64", "--version"), 0, "QEMU emulator version 7.2.22\n", "")
                .answer(List.of("timeout"), c -> {
                    throw new HostException("command could not be started: timeout");
                });
        DoctorContext ctx = machine.context(host, auto, kernel);

        CheckResult first = new KvmCheck(ctx).run();
        new KvmCheck(ctx).run();

        assertThat(first.status()).isEqualTo(CheckStatus.WARN);
        assertThat(first.detail()).contains("could not run the KVM test boot");
        assertThat(probes(host)).isEqualTo(2);
    }

    @Test
    void guestKernelHookThatThrowsCountsAsNoKernel() {
        machine.touch("/dev/kvm");
        DoctorContext ctx = new DoctorContext(qemuThatPrints(PANIC, "", 0), machine.paths, auto, () -> {
            throw new IllegalStateException("bundle not ready");
        }, machine.root);

        CheckResult result = new KvmCheck(ctx).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.remedy()).contains("banger runtime bootstrap");
    }
}
