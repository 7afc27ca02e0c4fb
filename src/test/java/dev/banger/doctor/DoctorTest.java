package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.BangerConfig;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    @TempDir
    Path temp;

    private static Check check(String name, Supplier<CheckResult> body) {
        return StubCheck.of(name, body);
    }

    @Test
    void reportKeepsTheGivenOrderWhenChecksFinishInReverse() {
        CountDownLatch secondDone = new CountDownLatch(1);
        Check first = check("first", () -> {
            try {
                // Finishes only after "second" has, so completion order is second, first.
                return secondDone.await(10, TimeUnit.SECONDS)
                        ? CheckResult.ok("first", "ran after second")
                        : CheckResult.fail("first", "second never finished", "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CheckResult.fail("first", "interrupted", "");
            }
        });
        Check second = check("second", () -> {
            secondDone.countDown();
            return CheckResult.ok("second", "done");
        });

        DoctorReport report = new Doctor(List.of(first, second)).run();

        assertThat(report.checks()).containsExactly(
                CheckResult.ok("first", "ran after second"), CheckResult.ok("second", "done"));
    }

    @Test
    void crashingCheckBecomesAFailureAndTheOthersStillReport() {
        Check crashing = check("crashing", () -> {
            throw new IllegalStateException("boom");
        });
        Check fine = check("fine", () -> CheckResult.ok("fine", ""));

        DoctorReport report = new Doctor(List.of(crashing, fine)).run();

        assertThat(report.checks().get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(report.checks().get(0).detail()).contains("boom");
        assertThat(report.checks().get(1).status()).isEqualTo(CheckStatus.OK);
        assertThat(report.hasFailures()).isTrue();
    }

    @Test
    void checkOutlivingTheDeadlineIsReportedAsFailedWithoutWaitingForIt() {
        CountDownLatch never = new CountDownLatch(1);
        Check stuck = check("stuck", () -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CheckResult.ok("stuck", "woke up");
        });
        long start = System.nanoTime();

        DoctorReport report = new Doctor(List.of(stuck)).run(Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(report.checks()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.detail()).contains("did not finish");
        });
    }

    @Test
    void duplicateCheckNamesAreRejected() {
        Check a = check("kvm", () -> CheckResult.ok("kvm", ""));

        assertThatThrownBy(() -> new Doctor(List.of(a)).with(a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kvm");
    }

    @Test
    void standardDoctorHasEveryNamedCheckAndExtraChecksAppend() {
        DoctorContext ctx = new TestHost(temp).context(new RecordingHostCommands(), BangerConfig.defaults());
        Check bundle = check("runtime-bundle", () -> CheckResult.ok("runtime-bundle", "found"));

        Doctor doctor = Doctor.standard(ctx).with(bundle);

        assertThat(doctor.checkNames()).containsExactly("kvm", "firecracker", "qemu", "tun", "bridge", "firewall", "host-names",
                "device-mapper", "reflink", "disk-clones", "e2fsprogs", "debootstrap", "state-dir", "free-disk", "runtime-bundle");
    }
}
