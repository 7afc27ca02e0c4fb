package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** The real standard doctor on this machine, with banger's directories in a temp dir. */
@Tag("integration")
class StandardDoctorIntegrationTest {
    @TempDir
    Path temp;

    private BangerPaths paths() {
        return new BangerPaths(temp.resolve("state"), temp.resolve("run"), temp.resolve("cache"), temp.resolve("config.toml"));
    }

    @Test
    void realDoctorReportsEveryStandardCheck() throws Exception {
        DoctorContext ctx = new DoctorContext(new ProcessHostCommands(), paths(), BangerConfig.defaults(),
                DoctorContext.noGuestKernel());

        DoctorReport report = Doctor.standard(ctx).run();

        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("kvm", "firecracker", "qemu", "tun",
                "bridge", "firewall", "host-names", "device-mapper", "reflink", "disk-clones", "e2fsprogs", "debootstrap", "state-dir",
                "free-disk");
        assertThat(report.checks()).allSatisfy(r -> {
            assertThat(r.detail()).isNotBlank();
            if (r.status() != CheckStatus.OK) {
                assertThat(r.remedy()).as("remedy of %s", r.name()).isNotBlank();
            }
        });
        assertThat(result(report, "state-dir").status()).isEqualTo(CheckStatus.OK);
        assertThat(Files.isDirectory(paths().stateDir())).isTrue();
        try (var left = Files.list(paths().stateDir())) {
            assertThat(left).as("probe files left in the state dir").isEmpty();
        }
        if (!Files.exists(Path.of("/dev/kvm"))) {
            assertThat(result(report, "kvm").status()).isEqualTo(CheckStatus.WARN);
        }
    }

    /**
     * The real KVM test boot (about 15 s on a host where KVM hangs). Point
     * {@code BANGER_TEST_GUEST_KERNEL} at a guest kernel (e.g. Debian's cloud vmlinuz) to run it.
     */
    @Test
    @EnabledIfEnvironmentVariable(named = "BANGER_TEST_GUEST_KERNEL", matches = ".+")
    void realKvmTestBootGivesAVerdictAndCachesIt() {
        Path kernel = Path.of(System.getenv("BANGER_TEST_GUEST_KERNEL"));
        DoctorContext ctx = new DoctorContext(new ProcessHostCommands(), paths(), BangerConfig.defaults(),
                () -> Optional.of(kernel));

        CheckResult first = new KvmCheck(ctx).run();
        long start = System.nanoTime();
        CheckResult second = new KvmCheck(ctx).run();

        assertThat(first.detail()).containsAnyOf("KVM runs an ordinary guest", "KVM cannot run an ordinary guest");
        assertThat(second.status()).isEqualTo(first.status());
        assertThat(second.detail()).contains("cached");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        System.out.println("kvm: " + first);
    }

    private static CheckResult result(DoctorReport report, String name) {
        return report.checks().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
