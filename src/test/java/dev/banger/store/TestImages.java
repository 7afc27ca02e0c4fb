package dev.banger.store;

import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import java.nio.file.Path;
import java.time.Instant;

/** Image values for tests. */
final class TestImages {
    static final Instant BUILT = Instant.parse("2026-11-20T10:15:30.123Z");

    private TestImages() {}

    static Image image(String name) {
        Path dir = Path.of("/var/lib/banger/images", name);
        return new Image(name, "debian", dir.resolve("vmlinux"), dir.resolve("initrd.img"), null,
                dir.resolve("rootfs.ext4"), dir.resolve("work-seed.ext4"), "{\"distro\":\"debian\"}", "sha256:abc",
                ImageStatus.READY, BUILT);
    }

    static NewVm vm(String name, String image) {
        return new NewVm(name, image, 2, 1024, 8L << 30, "firecracker");
    }
}
