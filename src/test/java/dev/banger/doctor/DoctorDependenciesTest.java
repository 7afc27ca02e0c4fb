package dev.banger.doctor;

import static dev.banger.doctor.KvmTestBootOutput.PANIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.BangerConfig;
import dev.banger.config.ConfigLoader;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorDependenciesTest {

    @TempDir
    Path temp;

    @Test
    void theFirstRunReportsFirecrackerConsistentlyWithTheKvmVerdictItJustReached() throws IOException {
        TestHost machine = new TestHost(temp).touch("/dev/kvm").touch("/proc/sys/kernel/osrelease", "6.18.44-test\n");
        Path kernel = Files.writeString(temp.resolve("vmlinux"), "not really a kernel");
        Path firecracker = Files.writeString(temp.resolve("firecracker"), "");
        firecracker.toFile().setExecutable(true);
        RecordingHostCommands host = new RecordingHostCommands()
                .withPrograms("qemu-system-x86_64")
                .answer(List.of("qemu-system-x86_64", "--version"), 0, "QEMU emulator version 7.2.22\n", "")
                .answer(List.of("timeout"), 0, PANIC, "")
                .answer(List.of(firecracker.toString(), "--version"), 0, "Firecracker v1.16.1\n", "");
        BangerConfig config = ConfigLoader.parse("[firecracker]\nbinary = \"" + firecracker + "\"\n", "test.toml").config();
        DoctorContext ctx = machine.context(host, config, kernel);
        Doctor doctor = new Doctor(Doctor.standardChecks(ctx).stream()
                .filter(check -> Set.of("kvm", "firecracker").contains(check.name())).toList());

        DoctorReport report = doctor.run(Duration.ofSeconds(30));

        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("kvm", "firecracker");
        assertThat(report.checks()).extracting(CheckResult::status).containsExactly(CheckStatus.OK, CheckStatus.OK);
        assertThat(report.checks().get(1).detail()).contains("KVM runs ordinary guests");
    }

    @Test
    void aDependentCheckStartsOnlyOnceItsDependencyHasFinished() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstDone = new AtomicBoolean();
        AtomicBoolean secondSawFirstDone = new AtomicBoolean();
        Doctor doctor = new Doctor(List.of(
                StubCheck.dependingOn("first", Set.of(), () -> {
                    firstRunning.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    firstDone.set(true);
                    return CheckResult.ok("first", "done");
                }),
                StubCheck.dependingOn("second", Set.of("first"), () -> {
                    secondSawFirstDone.set(firstDone.get());
                    return CheckResult.ok("second", "done");
                }),
                StubCheck.dependingOn("third", Set.of(), () -> CheckResult.ok("third", "done"))));

        Thread runner = Thread.ofVirtual().start(() -> doctor.run(Duration.ofSeconds(20)));
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        runner.join(Duration.ofSeconds(20));

        assertThat(runner.isAlive()).isFalse();
        assertThat(secondSawFirstDone).isTrue();
    }

    @Test
    void aDependentRunsEvenWhenItsDependencyCrashedAndTheReportKeepsItsOrder() {
        Doctor doctor = new Doctor(List.of(
                StubCheck.dependingOn("first", Set.of(), () -> {
                    throw new IllegalStateException("boom");
                }),
                StubCheck.dependingOn("second", Set.of("first", "not-in-this-doctor"), () -> CheckResult.ok("second", "ran"))));

        DoctorReport report = doctor.run(Duration.ofSeconds(10));

        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("first", "second");
        assertThat(report.checks()).extracting(CheckResult::status).containsExactly(CheckStatus.FAIL, CheckStatus.OK);
    }

    @Test
    void aDependencyListedAfterItsDependentIsRefused() {
        assertThatThrownBy(() -> new Doctor(List.of(
                StubCheck.dependingOn("second", Set.of("first"), () -> CheckResult.ok("second", "")),
                StubCheck.dependingOn("first", Set.of(), () -> CheckResult.ok("first", "")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("second depends on first");
    }
}
