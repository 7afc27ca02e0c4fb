package dev.banger.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.guestconfig.GuestConfig;
import dev.banger.guestconfig.GuestConfigBuilder;
import dev.banger.guestconfig.KernelCommandLine;
import dev.banger.host.disk.DiskFormat;
import dev.banger.image.WorkSeeds;
import dev.banger.vmm.MachineSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static final VmContext VM = new VmContext("dev1", "172.30.0.5", 24, Path.of("/state/vms/dev1"),
            Path.of("/state/vms/dev1/work.ext4"));

    /** Records what DNS was asked to publish, in order. */
    private static final class RecordingNames implements GuestNames {
        final List<String> calls = new ArrayList<>();

        @Override
        public void publish(String vm, String ip) {
            calls.add("publish " + vm + " " + ip);
        }

        @Override
        public void unpublish(String vm) {
            calls.add("unpublish " + vm);
        }
    }

    private static GuestConfig contribute(Capability capability, MachineDevices devices) {
        GuestConfigBuilder guest = GuestConfig.builder().hostname("placeholder").address("172.30.0.5/24");
        capability.contribute(VM, devices, guest.from(capability.name()));
        return guest.build();
    }

    private static Inet4Address ip(String text) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(text);
    }

    @Test
    void networkGivesTheGuestItsNameAndAddressWithThePrefix() throws UnknownHostException {
        GuestConfigBuilder guest = GuestConfig.builder();
        MachineDevices devices = new MachineDevices();

        new NetworkCapability().contribute(VM, devices, guest.from("network"));

        GuestConfig config = guest.build();
        assertThat(config.hostname()).isEqualTo("dev1");
        assertThat(config.address()).get().satisfies(a -> {
            assertThat(a.address()).isEqualTo(ip("172.30.0.5"));
            assertThat(a.prefixLength()).isEqualTo(24);
        });
        assertThat(devices.drives()).isEmpty();
    }

    @Test
    void workDiskIsTheWritableRawDriveAndAnOlderImageGetsNoMountWord() {
        MachineDevices devices = new MachineDevices();

        GuestConfig config = contribute(new WorkDiskCapability(), devices);

        assertThat(devices.drives()).containsExactly(
                new MachineSpec.Drive("work", Path.of("/state/vms/dev1/work.ext4"), DiskFormat.RAW, false));
        assertThat(config.mounts()).as("its fstab mounts /root").isEmpty();
        assertThat(KernelCommandLine.guestArgs(config)).noneMatch(arg -> arg.startsWith("banger.mount="));
    }

    @Test
    void anImageThatMountsFromItsConfigIsToldToMountTheWorkDiskOnRootByLabel() {
        VmContext vm = new VmContext(VM.name(), VM.ip(), VM.prefix(), VM.vmDir(), VM.workDisk(), true);
        MachineDevices devices = new MachineDevices();
        GuestConfigBuilder guest = GuestConfig.builder().hostname("dev1");

        new WorkDiskCapability().contribute(vm, devices, guest.from("work-disk"));

        GuestConfig config = guest.build();
        assertThat(devices.drives()).extracting(MachineSpec.Drive::id).containsExactly("work");
        assertThat(config.mounts()).containsExactly(WorkDiskCapability.MOUNT);
        assertThat(KernelCommandLine.guestArgs(config)).contains("banger.mount=LABEL=banger-work:/root:ext4:defaults");
        assertThat(WorkDiskCapability.LABEL).as("the label the image's work seed is made with").isEqualTo(WorkSeeds.LABEL);
    }

    @Test
    void secondDriveWithTheSameIdIsRefused() {
        MachineDevices devices = new MachineDevices();
        new WorkDiskCapability().contribute(VM, devices, GuestConfig.builder());

        assertThatThrownBy(() -> new WorkDiskCapability().contribute(VM, devices, GuestConfig.builder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'work'");
    }

    @Test
    void dnsPublishesTheVmOnPrepareAndUnpublishesItOnTeardown() {
        RecordingNames names = new RecordingNames();
        DnsCapability dns = new DnsCapability(names, () -> List.of("172.30.0.1"), "banger.internal");

        dns.prepare(VM);
        dns.teardown(VM);

        assertThat(names.calls).containsExactly("publish dev1 172.30.0.5", "unpublish dev1");
    }

    @Test
    void dnsPointsTheGuestAtAtMostThreeResolversAndTheBangerDomain() throws UnknownHostException {
        DnsCapability dns = new DnsCapability(new RecordingNames(),
                () -> List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"), "banger.internal");

        GuestConfig config = contribute(dns, new MachineDevices());

        assertThat(config.resolvers()).containsExactly(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3"));
        assertThat(config.searchDomain()).contains("banger.internal");
    }

    @Test
    void dnsReadsTheResolversWhenContributingSoAFallbackIsSeen() throws UnknownHostException {
        List<String> resolvers = new ArrayList<>(List.of("172.30.0.1"));
        DnsCapability dns = new DnsCapability(new RecordingNames(), () -> List.copyOf(resolvers), "banger.internal");
        resolvers.set(0, "192.168.1.1");

        assertThat(contribute(dns, new MachineDevices()).resolvers()).containsExactly(ip("192.168.1.1"));
    }

    @Test
    void natStartsTheHostRulesOnEveryPrepareAwaitsThemWhenReadyAndRoutesTheGuestThroughTheGateway()
            throws UnknownHostException {
        List<String> calls = new ArrayList<>();
        NatCapability nat = new NatCapability(new NatControl() {
            @Override
            public void startNat() {
                calls.add("start");
            }

            @Override
            public void awaitNat() {
                calls.add("await");
            }
        }, "172.30.0.1");

        nat.prepare(VM);
        GuestConfig config = contribute(nat, new MachineDevices());
        nat.awaitReady(VM);

        assertThat(calls).containsExactly("start", "await");
        assertThat(config.gateway()).contains(ip("172.30.0.1"));
    }
}
