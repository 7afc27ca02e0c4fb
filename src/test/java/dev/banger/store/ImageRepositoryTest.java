package dev.banger.store;

import static dev.banger.store.StoreFixtures.SUBNET;
import static dev.banger.store.StoreFixtures.T0;
import static dev.banger.store.StoreFixtures.image;
import static dev.banger.store.StoreFixtures.rawSql;
import static dev.banger.store.StoreFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRepositoryTest {
    @TempDir
    Path dir;

    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state.db"), new MutableClock(T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void insertedImageReadsBackUnchanged() {
        Image image = image("debian-12");

        assertThat(store.images().insert(image)).isEqualTo(image);
        assertThat(store.images().get("debian-12")).isEqualTo(image);
        assertThat(store.images().list()).containsExactly(image);
    }

    @Test
    void optionalPartsRoundTripAsNull() {
        Image bare = new Image("void", "void", Path.of("/i/vmlinux"), null, null, Path.of("/i/rootfs.ext4"), null,
                "{}", null, ImageStatus.NEEDS_REBUILD, T0, false, false);

        assertThat(store.images().insert(bare)).isEqualTo(bare);
    }

    @Test
    void duplicateNameIsAConflict() {
        store.images().insert(image("debian-12"));

        assertThatThrownBy(() -> store.images().insert(image("debian-12")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("register image 'debian-12'")
                .hasMessageContaining("an image with that name already exists");
        assertThat(store.images().list()).hasSize(1);
    }

    @Test
    void missingImageIsNotFound() {
        assertThat(store.images().find("nope")).isEmpty();
        assertThatThrownBy(() -> store.images().get("nope"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("image 'nope' not found")
                .hasMessageContaining("banger image build");
        assertThatThrownBy(() -> store.images().updateStatus("nope", ImageStatus.READY))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store.images().delete("nope")).isFalse();
    }

    @Test
    void relativePathsAreRejectedAndNothingIsStored() {
        Image relative = new Image("rel", "debian", Path.of("vmlinux"), null, null, Path.of("/r/rootfs.ext4"), null,
                "{}", null, ImageStatus.READY, T0, false, false);

        assertThatThrownBy(() -> store.images().insert(relative))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("the kernel path of image 'rel' must be absolute, got 'vmlinux'");
        assertThat(store.images().list()).isEmpty();
    }

    @Test
    void statusAndWorkSeedUpdatesAreStored() {
        store.images().insert(image("debian-12"));

        store.images().updateStatus("debian-12", ImageStatus.NEEDS_REBUILD);
        Image updated = store.images().updateWorkSeed("debian-12", Path.of("/seeds/new.ext4"), "sha256:def");

        assertThat(updated.status()).isEqualTo(ImageStatus.NEEDS_REBUILD);
        assertThat(updated.workSeed()).isEqualTo(Path.of("/seeds/new.ext4"));
        assertThat(updated.workSeedFingerprint()).isEqualTo("sha256:def");
        assertThat(store.images().get("debian-12")).isEqualTo(updated);
    }

    @Test
    void aRecordedWorkSeedMakesAnImageWaitingForOneReady() {
        store.images().insert(image("seedless").withStatus(ImageStatus.NEEDS_WORK_SEED));

        Image seeded = store.images().updateWorkSeed("seedless", Path.of("/seeds/s.ext4"), "sha256:abc");

        assertThat(seeded.status()).isEqualTo(ImageStatus.READY);
    }

    @Test
    void promotingMakesTheImageTheOnlyManagedDefault() {
        store.images().insert(image("a"));
        store.images().insert(image("b"));

        store.images().promote("a");
        Image b = store.images().promote("b");

        assertThat(b.defaultImage()).isTrue();
        assertThat(b.managed()).isTrue();
        assertThat(store.images().get("a").defaultImage()).isFalse();
        assertThat(store.images().get("a").managed()).isTrue();
        assertThat(store.images().findDefault()).contains(b);
        assertThatThrownBy(() -> store.images().promote("nope"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void replacingArtifactsKeepsNameFlagsAndVmReferences() {
        store.images().insert(image("debian-12"));
        store.images().promote("debian-12");
        store.vms().create(StoreFixtures.vm("dev1", "debian-12"), StoreFixtures.SUBNET);
        Image rebuilt = new Image("debian-12", "debian", Path.of("/new/vmlinux"), null, null, Path.of("/new/rootfs.ext4"),
                Path.of("/new/work-seed.ext4"), "{\"v\":2}", "sha256:new", ImageStatus.READY, T0.plusSeconds(60), false, false);

        Image stored = store.images().replaceArtifacts(rebuilt);

        assertThat(stored.rootfs()).isEqualTo(Path.of("/new/rootfs.ext4"));
        assertThat(stored.initrd()).isNull();
        assertThat(stored.workSeedFingerprint()).isEqualTo("sha256:new");
        assertThat(stored.defaultImage()).isTrue();
        assertThat(stored.managed()).isTrue();
        assertThat(store.vms().get("dev1").image()).isEqualTo("debian-12");
    }

    @Test
    void deletingAnImageThatVmsUseIsAConflictNamingThem() {
        store.images().insert(image("debian-12"));
        store.vms().create(vm("dev1"), SUBNET);
        store.vms().create(vm("dev2"), SUBNET);

        assertThatThrownBy(() -> store.images().delete("debian-12"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("it is still used by VM(s) 'dev1', 'dev2'")
                .hasMessageContaining("delete those VMs first");
        assertThat(store.images().find("debian-12")).isPresent();

        store.vms().delete("dev1");
        store.vms().delete("dev2");
        assertThat(store.images().delete("debian-12")).isTrue();
    }

    @Test
    void foreignKeyViolationFromAnyWriteSurfacesAsConflict() {
        store.images().insert(image("debian-12"));

        assertThatThrownBy(() -> store.database().write("insert a VM for image id 99", c -> {
                    try (Statement st = c.createStatement()) {
                        return st.executeUpdate("""
                                INSERT INTO vms (name, image_id, state, vcpus, memory_mib, disk_bytes, vmm, created_at, updated_at)
                                VALUES ('orphan', 99, 'creating', 1, 512, 1, 'qemu', 'x', 'x')""");
                    }
                }))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("cannot insert a VM for image id 99")
                .hasMessageContaining("FOREIGN KEY constraint failed");
        assertThat(store.vms().find("orphan")).isEmpty();
    }

    @Test
    void corruptImageRowNamesTableRowAndColumn() throws SQLException {
        store.images().insert(image("debian-12"));
        rawSql(store, "UPDATE images SET status = 'shiny' WHERE name = 'debian-12'");

        assertThatThrownBy(() -> store.images().get("debian-12"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageContaining("corrupt row in table 'images' (id 1, name 'debian-12')")
                .hasMessageContaining("column 'status' holds unknown value 'shiny' (expected one of ready, needs-rebuild, needs-work-seed)");

        rawSql(store, "UPDATE images SET status = 'ready', rootfs_path = 'relative/rootfs.ext4'");
        assertThatThrownBy(() -> store.images().list())
                .hasMessageContaining("column 'rootfs_path' holds 'relative/rootfs.ext4' where an absolute path is expected");
    }

    @Test
    void rawConnectionsEnforceForeignKeysToo() throws SQLException {
        // The profile is per connection: raw SQL on any pooled connection is held to the same rules.
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(
                    "INSERT INTO vm_allocations (vm_id, ip, mac, vsock_cid) VALUES (42, '10.0.0.2', '02:bf:0a:00:00:02', 3)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("FOREIGN KEY constraint failed");
        }
    }
}
