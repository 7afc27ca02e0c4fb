package dev.banger.store;

import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.Ipv4Subnet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** Shared test data and raw-SQL access for store tests. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.000Z");
    static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("172.30.0.0/24");

    private StoreFixtures() {}

    static Image image(String name) {
        Path dir = Path.of("/var/lib/banger/images", name);
        return new Image(name, "debian", dir.resolve("vmlinux"), dir.resolve("initrd.img"), null,
                dir.resolve("rootfs.ext4"), dir.resolve("work-seed.ext4"), "{\"distro\":\"debian\"}", "sha256:abc",
                ImageStatus.READY, T0, false, false);
    }

    static NewVm vm(String name) {
        return vm(name, "debian-12");
    }

    static NewVm vm(String name, String image) {
        return new NewVm(name, image, 2, 1024, 8L << 30, "firecracker");
    }

    /** Runs SQL on a pooled connection, bypassing the repositories (as sqlite3 or a bug would). */
    static void rawSql(Store store, String... statements) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.executeUpdate(sql);
            }
        }
    }
}
