package dev.banger.guestconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConfigDriveTest {
    @Test
    void theDriveIsOneLineOfTheGuestArgumentsAndTheMacThenZeros() {
        GuestConfig config = GuestConfig.builder().hostname("dev1").address("172.30.0.2/24").gateway("172.30.0.1").build();

        byte[] drive = ConfigDrive.content(config, "02:fc:00:00:00:07");

        String expected = String.join(" ", KernelCommandLine.guestArgs(config)) + " banger.mac=02:fc:00:00:00:07\n";
        assertThat(drive).hasSize(ConfigDrive.SIZE);
        assertThat(new String(drive, 0, expected.length(), StandardCharsets.UTF_8)).isEqualTo(expected)
                .startsWith("banger.hostname=dev1 banger.ip=172.30.0.2/24 banger.gw=172.30.0.1 ");
        assertThat(Arrays.copyOfRange(drive, expected.length(), drive.length)).containsOnly(0);
    }

    @Test
    void aMacTheGuestCouldNotSetIsRefused() {
        GuestConfig config = GuestConfig.builder().hostname("dev1").build();

        assertThatThrownBy(() -> ConfigDrive.content(config, "02:FC:00:00:00:07 banger.ip=1.2.3.4/8"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("MAC '02:FC:00:00:00:07 banger.ip=1.2.3.4/8'");
    }

    @Test
    void settingsLongerThanTheDriveAreRefused() {
        GuestConfigBuilder builder = GuestConfig.builder().hostname("dev1");
        for (int i = 0; i < 80; i++) {
            builder.mount(new GuestMount("/dev/vd" + (char) ('b' + i % 20), "/mnt/data-volume-number-" + i, "ext4",
                    java.util.List.of("defaults")));
        }
        GuestConfig config = builder.build();

        assertThatThrownBy(() -> ConfigDrive.content(config, "02:fc:00:00:00:07"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("more than the config drive's 4096");
    }
}
