package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerPaths;
import dev.banger.doctor.DefaultImageProbe;
import dev.banger.doctor.DefaultImageState;
import dev.banger.doctor.DefaultImageState.Condition;
import dev.banger.host.ProcessHostCommands;
import dev.banger.image.Distro;
import dev.banger.image.FakeImageBuilder;
import dev.banger.image.ImageBuildRequest;
import dev.banger.image.ImageCatalog;
import dev.banger.image.Profile;
import dev.banger.model.Image;
import dev.banger.model.StageRunner;
import dev.banger.runtime.Sha256;
import dev.banger.store.ReadOnlyImages;
import dev.banger.store.Store;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default-image check's findings from real images (small ext4 files made with mkfs.ext4 by the
 * fake builder) and a real database, read the way {@code banger doctor} reads them with no daemon:
 * read-only, after the store that wrote them is closed.
 */
class DefaultImageInspectionTest {
    private static final StageRunner STAGES = new StageRunner() {
        @Override
        public <T> T call(String stage, Supplier<T> work) {
            return work.get();
        }
    };

    @TempDir
    Path dir;

    private BangerPaths paths() {
        return new BangerPaths(dir.resolve("state"), dir.resolve("run"), dir.resolve("cache"), dir.resolve("config.toml"));
    }

    /** Builds the named images into the state dir (promoting {@code promote} when not null), then closes the store. */
    private List<Image> build(String promote, String... names) {
        try (Store store = Store.open(paths().database())) {
            ImageCatalog catalog = new ImageCatalog(paths().stateDir(), store.images(), new ProcessHostCommands(),
                    List.of(new FakeImageBuilder()), Clock.systemUTC());
            List<Image> built = Arrays.stream(names).map(name -> catalog.build(new ImageBuildRequest(name, Distro.DEBIAN,
                    Profile.MINIMAL, "bookworm", ImageBuildRequest.MIN_ROOTFS_BYTES, Optional.empty()), STAGES)).toList();
            if (promote != null) {
                store.images().promote(promote);
            }
            return built;
        }
    }

    /** What {@code banger doctor} without a daemon finds: the database read read-only. */
    private DefaultImageState inspectWithoutDaemon(String configuredDefault) {
        DefaultImageProbe probe = new DefaultImageInspection(() -> ReadOnlyImages.findDefault(paths().database(), configuredDefault),
                configuredDefault, new ProcessHostCommands(), paths().stateDir().resolve("tmp"));
        return probe.inspect();
    }

    @Test
    void noDatabaseYetMeansNoDefaultImageAndCreatesNoDatabase() {
        DefaultImageState state = inspectWithoutDaemon("default");

        assertThat(state.condition()).isEqualTo(Condition.ABSENT);
        assertThat(state.name()).isEqualTo("default");
        assertThat(paths().database()).doesNotExist();
    }

    @Test
    void anImageNotNamedByTheConfigAndNotPromotedIsNotTheDefault() {
        build(null, "other");

        assertThat(inspectWithoutDaemon("default").condition()).isEqualTo(Condition.ABSENT);
    }

    @Test
    void anIntactImageIsReadyAndTheDatabaseIsLeftAsItWas() throws IOException {
        build(null, "default");
        String before = Sha256.of(paths().database());

        DefaultImageState state = inspectWithoutDaemon("default");

        assertThat(state.condition()).as(state.detail()).isEqualTo(Condition.READY);
        assertThat(state.promoted()).isFalse();
        assertThat(state.rebuildable()).isTrue();
        assertThat(Sha256.of(paths().database())).isEqualTo(before);
        try (var left = Files.list(paths().stateDir().resolve("tmp"))) {
            assertThat(left).as("read-back directories left behind").isEmpty();
        }
    }

    @Test
    void thePromotedImageIsTheDefaultRatherThanTheConfiguredName() {
        build("chosen", "default", "chosen");

        DefaultImageState state = inspectWithoutDaemon("default");

        assertThat(state.name()).isEqualTo("chosen");
        assertThat(state.promoted()).isTrue();
        assertThat(state.condition()).isEqualTo(Condition.READY);
    }

    @Test
    void aMissingWorkSeedIsFoundMissing() throws IOException {
        Image image = build(null, "default").getFirst();
        Files.delete(image.workSeed());

        DefaultImageState state = inspectWithoutDaemon("default");

        assertThat(state.condition()).isEqualTo(Condition.WORK_SEED_MISSING);
        assertThat(state.detail()).contains(image.workSeed().toString());
    }

    @Test
    void aWorkSeedWhoseContentsChangedNoLongerMatchesItsFingerprint() throws IOException {
        Image image = build(null, "default").getFirst();
        corrupt(image.workSeed());

        DefaultImageState state = inspectWithoutDaemon("default");

        assertThat(state.condition()).isEqualTo(Condition.WORK_SEED_MISMATCH);
        assertThat(state.detail()).contains("fingerprint").contains(image.workSeedFingerprint());
    }

    /** Changes one byte of the seed's .bashrc inside the ext4 file, as bit rot would. */
    private static void corrupt(Path seed) throws IOException {
        byte[] needle = "# built by the fake builder".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Files.readAllBytes(seed);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                try (RandomAccessFile file = new RandomAccessFile(seed.toFile(), "rw")) {
                    file.seek(i + 2);
                    file.write('B');
                }
                return;
            }
        }
        throw new AssertionError("the fake builder's .bashrc was not found in " + seed);
    }
}
