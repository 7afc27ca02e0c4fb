package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelModulesTest {
    private static final Map<String, String> FILES = Map.of(
            "virtio", "kernel/drivers/virtio/virtio.ko",
            "virtio_ring", "kernel/drivers/virtio/virtio_ring.ko",
            "virtio_blk", "kernel/drivers/block/virtio_blk.ko",
            "virtio_net", "kernel/drivers/net/virtio_net.ko",
            "net_failover", "kernel/drivers/net/net_failover.ko",
            "failover", "kernel/net/core/failover.ko");
    private static final Map<String, List<String>> DEPS = Map.of(
            "kernel/drivers/block/virtio_blk.ko", List.of("virtio", "virtio_ring"),
            "kernel/drivers/net/virtio_net.ko", List.of("virtio_ring", "virtio", "net_failover"),
            "kernel/drivers/net/net_failover.ko", List.of("failover"),
            "kernel/drivers/virtio/virtio_ring.ko", List.of("virtio"));

    @Test
    void dependenciesComeBeforeTheModulesThatNeedThemAndEachOnlyOnce() {
        List<String> order = KernelModules.loadOrder(List.of("virtio_blk", "virtio-net", "ext4"), FILES,
                f -> DEPS.getOrDefault(f, List.of()), Set.of("ext4"));

        assertThat(order).containsExactly(
                "kernel/drivers/virtio/virtio.ko",
                "kernel/drivers/virtio/virtio_ring.ko",
                "kernel/drivers/block/virtio_blk.ko",
                "kernel/net/core/failover.ko",
                "kernel/drivers/net/net_failover.ko",
                "kernel/drivers/net/virtio_net.ko");
    }

    @Test
    void aModuleNeitherPresentNorBuiltInIsNamed() {
        assertThatThrownBy(() -> KernelModules.loadOrder(List.of("virtio_mmio"), FILES, f -> List.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("virtio_mmio");
    }

    @Test
    void dependsIsReadFromTheModinfoStrings() {
        byte[] ko = "\0\0license=GPL\0depends=virtio,virtio_ring,net-failover\0vermagic=6.1\0"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(KernelModules.depends(ko)).containsExactly("virtio", "virtio_ring", "net_failover");
        assertThat(KernelModules.depends("\0depends=\0name=x\0".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(KernelModules.depends("xdepends=foo\0".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void builtinListIsCanonicalised() {
        assertThat(KernelModules.builtin("kernel/fs/ext4/ext4.ko\nkernel/crypto/crc32c-generic.ko\n"))
                .containsExactlyInAnyOrder("ext4", "crc32c_generic");
    }
}
