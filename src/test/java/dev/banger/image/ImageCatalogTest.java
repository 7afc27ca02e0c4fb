package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.ProcessHostCommands;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.StageRunner;
import dev.banger.store.NewVm;
import dev.banger.store.Store;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog over a real store and real ext4 files, with a fast fake builder; no root needed. */
class ImageCatalogTest {
    @TempDir
    Path state;

    private Store store;
    private FakeImageBuilder builder;
    private ImageCatalog catalog;
    private final List<String> stagesRun = new ArrayList<>();
    private final StageRunner recording = new StageRunner() {
        @Override
        public <T> T call(String stage, Supplier<T> work) {
            stagesRun.add(stage);
            return work.get();
        }
    };

    @BeforeEach
    void open() {
        store = Store.open(state.resolve("state.db"));
        builder = new FakeImageBuilder();
        catalog = new ImageCatalog(state, store.images(), new ProcessHostCommands(), List.of(builder),
                Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aBuiltImageIsInstalledUnderItsNameAndRecordedReady() {
        Image image = catalog.build(request("default"), recording);

        assertThat(stagesRun).containsExactly("validate", "tree", "seal", "install");
        assertThat(catalog.buildStages(Distro.DEBIAN)).containsExactly("validate", "tree", "seal", "install");
        assertThat(image.status()).isEqualTo(ImageStatus.READY);
        assertThat(image.rootfs()).isEqualTo(state.resolve("images/default/rootfs.ext4")).isRegularFile();
        assertThat(image.workSeed()).isEqualTo(state.resolve("images/default/work-seed.ext4")).isRegularFile();
        assertThat(state.resolve("images/default/manifest.json")).isRegularFile();
        assertThat(ImageManifest.fromJson(image.manifestJson(), "m").workSeedFingerprint()).isEqualTo(image.workSeedFingerprint());
        assertThat(state.resolve("images/.build-default")).doesNotExist();
    }

    @Test
    void aFailedBuildLeavesNeitherFilesNorARow() {
        builder.failAt = "seal";

        assertThatThrownBy(() -> catalog.build(request("broken"), recording)).hasMessageContaining("fails at seal");

        assertThat(store.images().find("broken")).isEmpty();
        assertThat(state.resolve("images/broken")).doesNotExist();
        assertThat(state.resolve("images/.build-broken")).doesNotExist();
    }

    @Test
    void buildingAnExistingNameIsAConflictThatTouchesNothing() {
        Image first = catalog.build(request("default"), recording);

        assertThatThrownBy(() -> catalog.build(request("default"), recording))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("rebuild-rootfs default");
        assertThat(store.images().get("default")).isEqualTo(first);
        assertThat(builder.requests).hasSize(1);
    }

    @Test
    void rebuildUsesTheManifestAndReplacesTheFiles() {
        Image first = catalog.build(request("default"), recording);
        catalog.promote("default");
        builder.bashrc = "# rebuilt\n";

        ImageBuildRequest again = catalog.rebuildRequest("default");
        Image rebuilt = catalog.rebuild(again, recording);

        assertThat(again.packages()).contains(List.of("openssh-server"));
        assertThat(again.profile()).isEqualTo(Profile.MINIMAL);
        assertThat(rebuilt.defaultImage()).isTrue();
        assertThat(rebuilt.workSeedFingerprint()).isNotEqualTo(first.workSeedFingerprint());
        assertThat(store.images().get("default")).isEqualTo(rebuilt);
        assertThat(catalog.reconcile("default")).extracting(ImageCatalog.Finding::status).containsExactly(ImageStatus.READY);
        assertThat(state.resolve("images/.old-default")).doesNotExist();
    }

    @Test
    void aFailedRebuildKeepsTheImageAsItWas() throws IOException {
        Image before = catalog.build(request("default"), recording);
        byte[] rootfs = Files.readAllBytes(before.rootfs());
        builder.failAt = "seal";

        assertThatThrownBy(() -> catalog.rebuild(catalog.rebuildRequest("default"), recording)).hasMessageContaining("fails at seal");

        assertThat(store.images().get("default")).isEqualTo(before);
        assertThat(Files.readAllBytes(before.rootfs())).isEqualTo(rootfs);
    }

    @Test
    void rebuildingOrDeletingAnImageThatVmsUseIsAConflict() {
        catalog.build(request("default"), recording);
        store.vms().create(new NewVm("dev1", "default", 1, 512, 1L << 30, "qemu"), Ipv4Subnet.parse("172.30.0.0/24"));

        assertThatThrownBy(() -> catalog.rebuild(catalog.rebuildRequest("default"), recording))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("dev1");
        assertThatThrownBy(() -> catalog.delete("default"))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(state.resolve("images/default/rootfs.ext4")).exists();
    }

    @Test
    void deleteRemovesRowAndFiles() {
        catalog.build(request("old"), recording);

        catalog.delete("old");

        assertThat(store.images().find("old")).isEmpty();
        assertThat(state.resolve("images/old")).doesNotExist();
        assertThatThrownBy(() -> catalog.delete("old"))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aCorruptWorkSeedIsCaughtByItsFingerprintAndTheImageMarkedForRebuild() throws IOException {
        Image image = catalog.build(request("default"), recording);
        corruptFile(image.workSeed(), ".bashrc");

        List<ImageCatalog.Finding> findings = catalog.reconcile("default");

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(ImageStatus.NEEDS_REBUILD);
            assertThat(f.detail()).contains("fingerprint");
        });
        assertThat(store.images().get("default").status()).isEqualTo(ImageStatus.NEEDS_REBUILD);
    }

    @Test
    void reconcileReportsMissingFilesAndAMissingDefaultAndRemovesLeftoverBuilds() throws IOException {
        Image image = catalog.build(request("default"), recording);
        Files.delete(image.initrd());
        Files.createDirectories(state.resolve("images/.build-crashed/tree"));

        assertThat(catalog.reconcile("default")).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("missing files").contains("initrd.img"));
        assertThat(catalog.reconcile("absent")).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("does not exist"));
        assertThat(state.resolve("images/.build-crashed")).doesNotExist();
    }

    @Test
    void registeredImagesAreCheckedCopiedAndWithoutASeedWaitForOne() throws IOException {
        Image built = catalog.build(request("source"), recording);

        Image plain = catalog.register(new ImageRegistration("plain", built.kernel(), built.rootfs(), built.initrd(), null, null));
        Image seeded = catalog.register(new ImageRegistration("seeded", built.kernel(), built.rootfs(), null, null, built.workSeed()));

        assertThat(plain.status()).isEqualTo(ImageStatus.NEEDS_WORK_SEED);
        assertThat(plain.rootfs()).isEqualTo(state.resolve("images/plain/rootfs.ext4")).isRegularFile();
        assertThat(seeded.status()).isEqualTo(ImageStatus.READY);
        assertThat(seeded.workSeedFingerprint()).isEqualTo(built.workSeedFingerprint());

        Image healed = catalog.ensureWorkSeed("plain");
        assertThat(healed.status()).isEqualTo(ImageStatus.READY);
        assertThat(healed.workSeedFingerprint()).isEqualTo(built.workSeedFingerprint());
        assertThat(catalog.ensureWorkSeed("plain")).isEqualTo(healed);
    }

    @Test
    void aBuildManifestBesideTheFilesIsKeptWhenItDescribesTheSeed() throws IOException {
        Image built = catalog.build(new ImageBuildRequest("source", Distro.DEBIAN, Profile.DEV, "bookworm",
                ImageBuildRequest.MIN_ROOTFS_BYTES, Optional.empty()), recording);
        Path otherSeed = state.resolve("other-seed.ext4");
        new WorkSeeds(new Ext4Images(new ProcessHostCommands())).build(
                Files.createDirectories(state.resolve("other-home")), otherSeed);

        Image copied = catalog.register(new ImageRegistration("copied", built.kernel(), built.rootfs(), null, null, built.workSeed()));
        Image foreign = catalog.register(new ImageRegistration("foreign", built.kernel(), built.rootfs(), null, null, otherSeed));

        assertThat(ImageManifest.fromJson(copied.manifestJson(), "m").profile()).isEqualTo(Profile.DEV);
        assertThat(copied.distro()).isEqualTo("debian");
        assertThat(foreign.manifestJson()).contains("\"origin\" : \"registered\"");
        assertThat(foreign.distro()).isEqualTo("unknown");
    }

    @Test
    void registrationRefusesWhatIsNotAKernelOrNotExt4AndStoresNothing() throws IOException {
        Image built = catalog.build(request("source"), recording);
        Path text = Files.writeString(state.resolve("notes.txt"), "just text, long enough to have a header".repeat(40));

        assertInvalid(new ImageRegistration("bad", text, built.rootfs(), null, null, null), "neither an ELF vmlinux nor a bzImage");
        assertInvalid(new ImageRegistration("bad", built.kernel(), text, null, null, null), "not an ext2/3/4 filesystem");
        assertInvalid(new ImageRegistration("bad", built.kernel(), built.rootfs(), null, null, text), "work seed");
        assertInvalid(new ImageRegistration("bad", Path.of("relative/vmlinux"), built.rootfs(), null, null, null), "must be absolute");
        assertInvalid(new ImageRegistration("bad", state.resolve("missing"), built.rootfs(), null, null, null), "not a readable regular file");
        assertInvalid(new ImageRegistration("../escape", built.kernel(), built.rootfs(), null, null, null), "invalid image name");
        assertThat(store.images().find("bad")).isEmpty();
        try (Stream<Path> dirs = Files.list(state.resolve("images"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactly("source");
        }
    }

    @Test
    void promoteMakesOneDefault() {
        catalog.build(request("a"), recording);
        catalog.build(request("b"), recording);

        catalog.promote("a");
        catalog.promote("b");

        assertThat(store.images().findDefault()).map(Image::name).contains("b");
        assertThat(catalog.reconcile("a")).extracting(ImageCatalog.Finding::image).containsExactly("b");
    }

    private void assertInvalid(ImageRegistration registration, String message) {
        assertThatThrownBy(() -> catalog.register(registration))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }

    /** Flips the first byte of {@code marker}'s contents inside the ext4 file, as bit rot would. */
    private static void corruptFile(Path image, String marker) throws IOException {
        byte[] needle = "# built by the fake builder".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = Files.readAllBytes(image);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                    file.seek(i + 2);
                    file.write('B');
                }
                return;
            }
        }
        throw new AssertionError("the contents of " + marker + " were not found in " + image);
    }

    private static ImageBuildRequest request(String name) {
        return new ImageBuildRequest(name, Distro.DEBIAN, Profile.MINIMAL, "bookworm", ImageBuildRequest.MIN_ROOTFS_BYTES, Optional.empty());
    }
}
