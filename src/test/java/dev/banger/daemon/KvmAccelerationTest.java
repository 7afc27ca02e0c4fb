package dev.banger.daemon;

import static dev.banger.doctor.KvmTestBootOutput.MSR;
import static dev.banger.doctor.KvmTestBootOutput.PANIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.config.VmmChoice;
import dev.banger.doctor.Check;
import dev.banger.doctor.Doctor;
import dev.banger.doctor.DoctorContext;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.vmm.BackendChooser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's backend choice and doctor share one KVM verdict, read at each create: nothing is
 * fixed at start, an unknown verdict is found out at the first create, and one doctor reaches
 * later (in the daemon or in a CLI process) is used by the next create without a restart.
 */
class KvmAccelerationTest {

    @TempDir
    Path temp;

    private BangerPaths paths;
    private Path root;
    private Path kernel;

    @BeforeEach
    void setUp() throws IOException {
        paths = new BangerPaths(temp.resolve("state"), temp.resolve("run"), temp.resolve("cache"), temp.resolve("config.toml"));
        root = temp.resolve("root");
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/kvm"), "");
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.18.44-test\n");
        kernel = Files.writeString(temp.resolve("vmlinux"), "not really a kernel");
    }

    private static RecordingHostCommands host(String console, int exitCode) {
        return new RecordingHostCommands()
                .withPrograms("qemu-system-x86_64")
                .answer(List.of("qemu-system-x86_64", "--version"), 0, "QEMU emulator version 7.2.22\n", "")
                .answer(List.of("timeout"), exitCode, console, "");
    }

    private DoctorContext context(RecordingHostCommands host, BangerConfig config) {
        return new DoctorContext(host, paths, config, () -> Optional.of(kernel), List.of(), root);
    }

    private static long testBoots(RecordingHostCommands host) {
        return host.recorded().stream().filter(argv -> argv.getFirst().equals("timeout")).count();
    }

    private static CheckResult kvmCheck(DoctorContext ctx) {
        List<Check> kvm = Doctor.standardChecks(ctx).stream().filter(check -> check.name().equals("kvm")).toList();
        return new Doctor(kvm).run().checks().getFirst();
    }

    @Test
    void firecrackerWithAnUnknownVerdictTestsKvmAtTheFirstCreateInsteadOfRefusingAndThenStartsNoProcess() {
        RecordingHostCommands daemon = host(PANIC, 0);
        BangerConfig config = BangerConfig.defaults().withVmm(VmmChoice.FIRECRACKER);
        KvmAcceleration kvm = new KvmAcceleration(context(daemon, config).kvm());
        BackendChooser newVms = BackendChooser.forHost(VmmChoice.FIRECRACKER, true, kvm);
        assertThat(newVms.known()).isEmpty();

        assertThat(newVms.choose().describe()).isEqualTo("firecracker (kvm)");
        int afterFirst = daemon.recorded().size();
        newVms.choose();
        newVms.choose();

        assertThat(testBoots(daemon)).isEqualTo(1);
        assertThat(daemon.recorded()).hasSize(afterFirst);
    }

    @Test
    void aVerdictThatDoctorReachesInAnotherProcessIsUsedByTheNextCreateWithoutARestart() {
        RecordingHostCommands daemon = host(MSR, 1); // a test boot of its own would say "cannot"
        BangerConfig config = BangerConfig.defaults();
        KvmAcceleration kvm = new KvmAcceleration(context(daemon, config).kvm());
        BackendChooser newVms = BackendChooser.forHost(VmmChoice.AUTO, false, kvm);
        assertThat(VmSetup.newVmsNow(config, kvm, newVms)).contains("not known yet");

        CheckResult doctor = kvmCheck(context(host(PANIC, 0), config)); // `banger doctor` with no daemon to ask

        assertThat(doctor.status()).isEqualTo(CheckStatus.OK);
        assertThat(VmSetup.newVmsNow(config, kvm, newVms)).isEqualTo("qemu (kvm)");
        assertThat(newVms.choose().describe()).isEqualTo("qemu (kvm)");
        assertThat(testBoots(daemon)).isZero();
    }

    @Test
    void theDaemonsOwnDoctorAndItsCreatesShareOneTestBoot() {
        RecordingHostCommands daemon = host(PANIC, 0);
        DoctorContext ctx = context(daemon, BangerConfig.defaults());
        BackendChooser newVms = BackendChooser.forHost(VmmChoice.AUTO, true, new KvmAcceleration(ctx.kvm()));

        assertThat(kvmCheck(ctx).status()).isEqualTo(CheckStatus.OK);

        assertThat(newVms.known()).hasValueSatisfying(choice -> assertThat(choice.describe()).isEqualTo("firecracker (kvm)"));
        assertThat(newVms.choose().backend()).isEqualTo("firecracker");
        assertThat(testBoots(daemon)).isEqualTo(1);
    }

    @Test
    void emulationIsNeverSilentTheChoiceSaysWhy() {
        RecordingHostCommands daemon = host(MSR, 1);
        KvmAcceleration kvm = new KvmAcceleration(context(daemon, BangerConfig.defaults()).kvm());

        String described = BackendChooser.forHost(VmmChoice.AUTO, true, kvm).choose().describe();

        assertThat(described).startsWith("qemu (tcg: KVM cannot run a guest here: QEMU reported: ")
                .contains("failed to set MSR 0x10a");
    }
}
