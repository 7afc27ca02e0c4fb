package dev.banger.guestconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestValuesTest {
    @Test
    void guestAddressParsesAndPrintsAddrSlashPrefix() {
        GuestAddress address = GuestAddress.parse("172.30.0.2/24");

        assertThat(address.prefixLength()).isEqualTo(24);
        assertThat(address.address().getHostAddress()).isEqualTo("172.30.0.2");
        assertThat(address).hasToString("172.30.0.2/24");
    }

    @Test
    void guestAddressRefusesMissingPrefixNetworkAndBroadcastAddresses() {
        for (String bad : List.of("172.30.0.2", "172.30.0.2/", "172.30.0.2/33", "172.30.0.2/31", "172.30.0.2/4", "172.30.0.0/24",
                "172.30.0.255/24", "172.30.0.2/024", "host/24")) {
            assertThatThrownBy(() -> GuestAddress.parse(bad)).as(bad).isInstanceOf(GuestConfigException.class).hasMessageContaining("guest address");
        }
    }

    @Test
    void mountEncodesAsFourColonSeparatedFields() {
        GuestMount mount = new GuestMount("/dev/vdb", "/root", "ext4", List.of("defaults", "noatime"));

        assertThat(mount.encoded()).isEqualTo("/dev/vdb:/root:ext4:defaults,noatime");
    }

    @Test
    void mountAcceptsUuidLabelAndTagDevices() {
        assertThat(GuestMount.withDefaults("UUID=0b2f-44aa", "/data", "ext4").device()).isEqualTo("UUID=0b2f-44aa");
        assertThat(GuestMount.withDefaults("LABEL=work", "/data", "ext4").device()).isEqualTo("LABEL=work");
        assertThat(GuestMount.withDefaults("share0", "/mnt/share", "virtiofs").device()).isEqualTo("share0");
    }

    @Test
    void aHostDirectorySharedOverSshIsATaggedFuseMount() {
        GuestMount share = new GuestMount("banger-share", "/mnt/src", "fuse.sshfs", List.of("ro"));

        assertThat(share.encoded()).isEqualTo("banger-share:/mnt/src:fuse.sshfs:ro");
        assertThat(new GuestMount("banger-share", "/mnt/out", "fuse.sshfs", List.of("rw")).encoded())
                .isEqualTo("banger-share:/mnt/out:fuse.sshfs:rw");
    }

    @Test
    void mountPointsMustBeAbsoluteWithoutSpacesOrDotDot() {
        for (String bad : List.of("root", "/", "/root/", "/my root", "/root/../etc", "/root/./x", "//root", "/root:x", "/root\n")) {
            assertThatThrownBy(() -> GuestMount.withDefaults("/dev/vdb", bad, "ext4")).as(bad)
                    .isInstanceOf(GuestConfigException.class).hasMessageContaining("mount point");
        }
    }

    @Test
    void mountDevicesTypesAndOptionsMustBeSingleColonFreeWords() {
        assertThatThrownBy(() -> GuestMount.withDefaults("/dev/../etc/passwd", "/root", "ext4")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> GuestMount.withDefaults("/dev/vd b", "/root", "ext4")).isInstanceOf(GuestConfigException.class);
        // The guest's banger-mounts refuses these shapes too.
        assertThatThrownBy(() -> GuestMount.withDefaults("/dev/vdb/", "/root", "ext4")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> GuestMount.withDefaults("/dev//vdb", "/root", "ext4")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> GuestMount.withDefaults("host:/export", "/root", "nfs")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> GuestMount.withDefaults("/dev/vdb", "/root", "Ext 4")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> new GuestMount("/dev/vdb", "/root", "ext4", List.of())).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> new GuestMount("/dev/vdb", "/root", "ext4", List.of("a,b"))).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> new GuestMount("/dev/vdb", "/root", "ext4", List.of("context=a:b"))).isInstanceOf(GuestConfigException.class);
    }
}
