package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checks a user other than root may run, decided once ({@link Check#needsRoot}) and applied by {@link Doctor#runnableBy}. */
class DoctorRunnableByTest {
    @TempDir
    Path temp;

    private final Set<String> ran = ConcurrentHashMap.newKeySet();

    private Check check(String name, Optional<String> needsRoot) {
        return new StubCheck(name, needsRoot, Set.of(), () -> {
            ran.add(name);
            return CheckResult.ok(name, "ran");
        });
    }

    private Doctor mixed() {
        return new Doctor(List.of(check("anyone", Optional.empty()),
                check("rooty", Optional.of("it writes the state directory")),
                check("also-anyone", Optional.empty())));
    }

    @Test
    void asAnotherUserChecksThatNeedRootAreReportedNotRunInTheirPlaceAndTheOthersRun() {
        DoctorReport report = mixed().runnableBy(false).run();

        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("anyone", "rooty", "also-anyone");
        assertThat(ran).containsExactlyInAnyOrder("anyone", "also-anyone");
        assertThat(report.checks().get(1)).isEqualTo(CheckResult.warn("rooty",
                "not run: needs root (it writes the state directory)", "run `sudo banger doctor`"));
        assertThat(report.hasFailures()).isFalse();
    }

    @Test
    void asRootEveryCheckRuns() {
        DoctorReport report = mixed().runnableBy(true).run();

        assertThat(ran).containsExactlyInAnyOrder("anyone", "rooty", "also-anyone");
        assertThat(report.checks()).extracting(CheckResult::status).containsOnly(CheckStatus.OK);
    }

    @Test
    void theStandardChecksThatNeedRootAreThoseThatBootKvmOrWriteTheStateDirectory() {
        DoctorContext ctx = new DoctorContext(new RecordingHostCommands(), new TestHost(temp).paths, BangerConfig.defaults(),
                DoctorContext.noGuestKernel());

        List<String> needRoot = Doctor.standardChecks(ctx).stream().filter(c -> c.needsRoot().isPresent()).map(Check::name).toList();

        assertThat(needRoot).containsExactly("kvm", "reflink", "disk-clones", "state-dir");
        assertThat(new Doctor(Doctor.standardChecks(ctx)).runnableBy(false).checkNames())
                .isEqualTo(new Doctor(Doctor.standardChecks(ctx)).checkNames());
    }

    @Test
    void theDefaultImageCheckNeedsRootAndIsNotRunAsAUserSoItsImagesAreNotRead() {
        DefaultImageCheck image = new DefaultImageCheck(() -> {
            throw new AssertionError("a user's doctor must not read the images");
        }, temp);

        DoctorReport report = new Doctor(List.of(image)).runnableBy(false).run();

        assertThat(report.checks()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckStatus.WARN);
            assertThat(r.detail()).startsWith("not run: needs root (").contains(temp.toString());
        });
    }
}
