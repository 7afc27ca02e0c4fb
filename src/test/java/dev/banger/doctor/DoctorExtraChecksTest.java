package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorExtraChecksTest {
    @TempDir
    Path temp;

    private BangerPaths paths() {
        return new BangerPaths(temp.resolve("state"), temp.resolve("run"), temp.resolve("cache"), temp.resolve("config.toml"));
    }

    private static Check named(String name) {
        return StubCheck.of(name, () -> CheckResult.ok(name, "fine"));
    }

    @Test
    void extraChecksFromTheContextComeAfterTheStandardOnes() {
        List<Check> extras = new ArrayList<>(List.of(named("runtime-bundle")));
        DoctorContext ctx = new DoctorContext(new RecordingHostCommands(), paths(), BangerConfig.defaults(),
                DoctorContext.noGuestKernel(), extras);
        extras.clear();

        List<String> names = Doctor.standard(ctx).checkNames();

        assertThat(names).endsWith("free-disk", "runtime-bundle");
        assertThat(names.subList(0, names.size() - 1))
                .containsExactlyElementsOf(Doctor.standardChecks(ctx).stream().map(Check::name).toList());
    }

    @Test
    void contextWithoutExtrasReadsTheRealHostRoot() {
        DoctorContext ctx = new DoctorContext(new RecordingHostCommands(), paths(), BangerConfig.defaults(),
                DoctorContext.noGuestKernel());

        assertThat(ctx.extraChecks()).isEmpty();
        assertThat(ctx.hostPath("/dev/kvm")).isEqualTo(Path.of("/dev/kvm"));
        assertThat(Doctor.standard(ctx).checkNames()).last().isEqualTo("free-disk");
    }
}
