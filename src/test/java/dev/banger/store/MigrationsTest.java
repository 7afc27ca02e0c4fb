package dev.banger.store;

import static dev.banger.store.StoreFixtures.SUBNET;
import static dev.banger.store.StoreFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.NetworkAllocation;
import dev.banger.model.OperationKind;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void emptyDirectoryBecomesAPrivateDatabaseAtTheLatestVersion() throws Exception {
        Path file = dir.resolve("state").resolve("state.db");

        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo("6");
            assertThat(store.path()).isEqualTo(file);
            assertThat(tables(file)).contains("images", "vms", "vm_allocations", "operations", "operation_stages");
            assertThat(store.summary().images()).isZero();
            assertThat(store.summary().vms()).isZero();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateAgain() {
        Path file = dir.resolve("state.db");
        try (Store store = Store.open(file)) {
            store.images().insert(StoreFixtures.image("debian-12"));
            store.vms().create(vm("dev1"), SUBNET);
        }
        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo("6");
            assertThat(store.vms().get("dev1").network().ip()).isEqualTo("172.30.0.2");
        }
    }

    @Test
    void version1DatabaseKeepsItsRowsWhenMigratedToTheLatestVersion() throws Exception {
        Path file = dir.resolve("state.db");
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations(Migrations.LOCATION)
                .target("1")
                .load()
                .migrate();
        assertThat(tables(file)).contains("vms").doesNotContain("operations");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("""
                    INSERT INTO images (id, name, distro, kernel_path, rootfs_path, manifest_json, status, created_at)
                    VALUES (7, 'old-image', 'debian', '/old/vmlinux', '/old/rootfs.ext4', '{}', 'ready', '2025-01-02T03:04:05.678Z')""");
            st.executeUpdate("""
                    INSERT INTO vms (id, name, image_id, state, vcpus, memory_mib, disk_bytes, vmm, pid, created_at, updated_at)
                    VALUES (3, 'old-vm', 7, 'stopped', 1, 512, 1073741824, 'qemu', NULL,
                            '2025-01-02T03:04:06.000Z', '2025-01-02T03:04:07.000Z')""");
            st.executeUpdate("INSERT INTO vm_allocations (vm_id, ip, mac, vsock_cid) VALUES (3, '172.30.0.2', '02:bf:ac:1e:00:02', 3)");
        }

        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo("6");
            assertThat(Integer.parseInt(store.schemaVersion())).isEqualTo(6);
            Vm old = store.vms().get("old-vm");
            assertThat(old.image()).isEqualTo("old-image");
            assertThat(old.state()).isEqualTo(VmState.STOPPED);
            assertThat(old.diskBytes()).isEqualTo(1L << 30);
            assertThat(old.network()).isEqualTo(new NetworkAllocation("172.30.0.2", "02:bf:ac:1e:00:02", 3));
            assertThat(old.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:06Z"));
            assertThat(store.images().get("old-image").createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z"));
            assertThat(store.images().get("old-image").managed()).isFalse();
            assertThat(store.images().findDefault()).isEmpty();
            // The new tables work, and the migrated allocations are respected.
            assertThat(store.operations().begin(OperationKind.VM_CREATE, "next", List.of("validate")).stages()).hasSize(1);
            assertThat(store.vms().create(new NewVm("next", "old-image", 1, 512, 1L << 30, "qemu"), SUBNET).network().ip())
                    .isEqualTo("172.30.0.3");
        }
    }

    @Test
    void databaseFromANewerBangerIsRefusedWithAClearError() throws Exception {
        Path file = dir.resolve("state.db");
        try (Store store = Store.open(file)) {
            store.images().insert(StoreFixtures.image("debian-12"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("""
                    INSERT INTO flyway_schema_history
                        (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                    VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'test', 0, 1)""");
        }

        assertThatThrownBy(() -> Store.open(file))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("the state database is at schema version 99")
                .hasMessageContaining("knows only up to version 6")
                .hasMessageContaining("upgrade banger");
        // Nothing was changed: the rows are still readable by a banger that knows version 99.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM images")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    private static List<String> tables(Path file) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
