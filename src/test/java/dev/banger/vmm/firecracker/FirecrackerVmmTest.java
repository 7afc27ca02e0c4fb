package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.FirecrackerConfig;
import dev.banger.host.disk.DiskFormat;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link FirecrackerVmm} refuses before it spawns anything; the API exchange is in the contract test. */
class FirecrackerVmmTest {
    @TempDir
    Path dir;

    private Path vmDir;
    private Path marker;
    private Path binary;
    private FirecrackerVmm vmm;

    @BeforeEach
    void setUp() throws Exception {
        vmDir = Files.createDirectories(dir.resolve("vms/dev1"));
        marker = dir.resolve("spawned");
        // A "firecracker" that only leaves a mark: a spawn that should not happen becomes visible.
        binary = Files.createDirectories(dir.resolve("bin")).resolve("firecracker");
        Files.writeString(binary, "#!/bin/sh\necho spawned > '" + marker + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        if (vmm != null) {
            vmm.close();
        }
    }

    @Test
    void firecrackerIsNamedFirecrackerOpensOnlyRawFilesAndBootsItsOwnLine() {
        try (FirecrackerVmm firecracker = vmm(Path.of("/usr/bin/firecracker"))) {
            assertThat(firecracker.name()).isEqualTo("firecracker");
            assertThat(firecracker.opensQcow2()).isFalse();
            assertThat(firecracker.kernelFlavour()).isEqualTo(Vmm.KernelFlavour.FIRECRACKER);
            assertThat(firecracker.adoptsPausedMachines()).isFalse();
        }
    }

    @Test
    void qcow2DriveIsRefusedBeforeAnythingIsSpawnedOrWritten() throws Exception {
        vmm = vmm(binary);
        MachineSpec spec = Specs.withDrives(vmDir, List.of(
                new MachineSpec.Drive("root", vmDir.resolve("root.qcow2"), DiskFormat.QCOW2, false)));

        assertThatThrownBy(() -> vmm.start(spec))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("QCOW2")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));

        assertThat(marker).doesNotExist();
        try (Stream<Path> files = Files.list(vmDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void missingBinaryIsAPreconditionNamingThePath() {
        Path missing = dir.resolve("nowhere/firecracker");
        vmm = vmm(missing);

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining(missing + " is missing or not executable")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
    }

    @Test
    void missingVmDirectoryIsAPreconditionAndNothingIsSpawned() {
        vmm = vmm(binary);

        assertThatThrownBy(() -> vmm.start(Specs.full(dir.resolve("vms/absent"))))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("VM directory " + dir.resolve("vms/absent") + " does not exist");
        assertThat(marker).doesNotExist();
    }

    @Test
    void settingsTakeTheConfiguredBinaryOverTheBundles() {
        Path bundle = Path.of("/opt/banger/lib/banger/firecracker");
        Path configured = Path.of("/usr/local/bin/firecracker");

        assertThat(FirecrackerVmm.Settings.of(FirecrackerConfig.DEFAULTS, bundle, Optional.empty()).binary()).isEqualTo(bundle);
        assertThat(FirecrackerVmm.Settings.of(new FirecrackerConfig(Optional.of(configured), Optional.empty(), false),
                bundle, Optional.empty()).binary()).isEqualTo(configured);
    }

    @Test
    void settingsUseNoJailerUnlessJailingIsConfigured() {
        Path bundleJailer = Path.of("/opt/banger/lib/banger/jailer");
        FirecrackerConfig configuredButOff = new FirecrackerConfig(Optional.empty(), Optional.of(Path.of("/opt/jailer")), false);

        FirecrackerVmm.Settings settings = FirecrackerVmm.Settings.of(configuredButOff, binary, Optional.of(bundleJailer));

        assertThat(settings.jail()).isFalse();
        assertThat(settings.jailer()).isEmpty();
    }

    @Test
    void settingsTakeTheConfiguredJailerOverTheBundlesWhenJailing() {
        Path bundleJailer = Path.of("/opt/banger/lib/banger/jailer");
        Path configured = Path.of("/usr/local/bin/jailer");

        assertThat(FirecrackerVmm.Settings.of(new FirecrackerConfig(Optional.empty(), Optional.empty(), true),
                binary, Optional.of(bundleJailer)).jailer()).contains(bundleJailer);
        assertThat(FirecrackerVmm.Settings.of(new FirecrackerConfig(Optional.empty(), Optional.of(configured), true),
                binary, Optional.of(bundleJailer)).jailer()).contains(configured);
    }

    @Test
    void jailingWithoutAJailerIsAPreconditionNamingTheSettingAndTheBootstrapCommand() {
        vmm = new FirecrackerVmm(FirecrackerVmm.Settings.of(
                new FirecrackerConfig(Optional.of(binary), Optional.empty(), true), binary, Optional.empty()));

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("[firecracker] jail = true")
                .hasMessageContaining("[firecracker] jailer")
                .hasMessageContaining("banger runtime bootstrap")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
        assertThat(marker).doesNotExist();
        assertThat(vmDir.resolve("jail")).doesNotExist();
    }

    @Test
    void missingJailerIsAPreconditionNamingItsPath() {
        Path missing = dir.resolve("nowhere/jailer");
        vmm = new FirecrackerVmm(new FirecrackerVmm.Settings(binary, true, Optional.of(missing),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("jailer " + missing + " is missing or not executable")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
    }

    @Test
    void faultMessageIsTakenFromFirecrackersErrorBodyOrShownRaw() {
        assertThat(FirecrackerApiClient.faultMessage("{\"fault_message\":\"Invalid MAC\"}")).isEqualTo("Invalid MAC");
        assertThat(FirecrackerApiClient.faultMessage("upstream went away")).isEqualTo("upstream went away");
        assertThat(FirecrackerApiClient.faultMessage("")).isEqualTo("(no body)");
    }

    private static FirecrackerVmm vmm(Path binary) {
        return new FirecrackerVmm(new FirecrackerVmm.Settings(binary, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }
}
