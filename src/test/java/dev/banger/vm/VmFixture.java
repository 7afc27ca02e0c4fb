package dev.banger.vm;

import dev.banger.config.ByteSize;
import dev.banger.config.NatMode;
import dev.banger.config.NetworkConfig;
import dev.banger.config.VmDefaults;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.host.RecordingHostCommands;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.image.Distro;
import dev.banger.image.ImageManifest;
import dev.banger.image.Profile;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.Ipv4Subnet;
import dev.banger.store.Store;
import dev.banger.vm.boot.BootDeadlines;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.BackendChooser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;

/**
 * A VM host in a temp directory with nothing real behind the network: the real store on a
 * SQLite file, an image whose root disk and work seed are small real files (the seed a real
 * ext4), the real disk tools, a {@link FakeVmm}, network commands recorded by a pretend kernel
 * that keeps a set of TAPs, and "sshd" listening on loopback guest addresses of the subnet
 * {@code 127.77.0.0/24} at a free port. Close it to stop everything it started.
 */
public final class VmFixture implements AutoCloseable {
    static final String SUBNET = "127.77.0.0/24";
    static final String IMAGE = "test-image";
    /** An image built with the dev profile, which declares the opencode service. */
    static final String DEV_IMAGE = "dev-image";
    public static final BootDeadlines QUICK = new BootDeadlines(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
    static final List<String> TAP_ADD = List.of("ip", "tuntap", "add");
    static final List<String> TAP_DEL = List.of("ip", "tuntap", "del");

    final Path dir;
    public final Path stateDir;
    public final Store store;
    final FakeVmm vmm = new FakeVmm();
    final RecordingHostCommands network = new RecordingHostCommands();
    final ProcessHostCommands real = new ProcessHostCommands();
    final RoutedHostCommands commands = new RoutedHostCommands(network, real);
    final Image image;
    private final Set<String> taps = new ConcurrentSkipListSet<>();
    private final List<ServerSocket> sshd = new ArrayList<>();
    private final List<VmHost> hosts = new ArrayList<>();
    private int sshPort;

    public VmFixture(Path dir) throws IOException {
        this.dir = dir;
        this.stateDir = dir.resolve("state");
        this.store = Store.open(stateDir.resolve("banger.db"));
        network.withPrograms("nft");
        network.answer(TAP_ADD, c -> taps.add(c.argv().get(4)) ? ok(c, "")
                : new CommandResult(c, 1, "", "ioctl(TUNSETIFF): Device or resource busy", Duration.ZERO));
        network.answer(TAP_DEL, c -> {
            taps.remove(c.argv().get(4));
            return ok(c, "");
        });
        network.answer(List.of("ip", "-j", "-d", "link", "show", "type", "tun"), c -> ok(c, tapJson()));
        network.answer(List.of("ip", "-j", "-d", "addr", "show"), 0, "[]", "");
        this.image = store.images().insert(makeImage(dir.resolve("images").resolve(IMAGE)));
        String devManifest = new ImageManifest(Distro.DEBIAN, "bookworm", "6.1.0", Profile.DEV, List.of("git"),
                "sha256:" + "ab".repeat(32), Instant.parse("2026-11-23T10:00:00Z"), "0.1.0", true, true, true, true).toJson();
        store.images().insert(new Image(DEV_IMAGE, "debian", image.kernel(), null, null, image.rootfs(), image.workSeed(),
                devManifest, null, ImageStatus.READY, image.createdAt(), false, false));
        listenSsh("127.77.0.2");
        listenSsh("127.77.0.3");
    }

    private Image makeImage(Path imageDir) throws IOException {
        Files.createDirectories(imageDir);
        Path kernel = Files.writeString(imageDir.resolve("vmlinux"), "not a kernel");
        Path rootfs = imageDir.resolve("rootfs.ext4");
        Files.write(rootfs, new byte[1 << 20]);
        Path seed = imageDir.resolve("work-seed.ext4");
        real.run(Command.of("mkfs.ext4", "-q", "-F", "-L", "banger-work", seed.toString(), "16M"));
        return new Image(IMAGE, "debian", kernel, null, null, rootfs, seed, "{}", null, ImageStatus.READY,
                Instant.parse("2026-11-23T10:00:00Z"), false, false);
    }

    /** A host as the daemon makes it, with a TAP pool of {@code poolSize} (0: every TAP made on demand and deleted on release). */
    VmHost host(int poolSize) {
        return host(poolSize, 0);
    }

    /** As {@link #host(int)}, with up to {@code warmMachines} warm machines in {@code <state>/warm}. */
    VmHost host(int poolSize, int warmMachines) {
        NetworkConfig config = new NetworkConfig("banger0", Ipv4Subnet.parse(SUBNET), "banger.internal",
                poolSize, NatMode.AUTO);
        VmHost host = new VmHost(commands, config, Map.of(FakeVmm.NAME, vmm), FakeVmm.NAME, null,
                new HostDiskFacts(false, false, false), stateDir.resolve("warm"), warmMachines);
        synchronized (hosts) {
            hosts.add(host);
        }
        return host;
    }

    /** A host whose new VMs are chosen by {@code newVms} (which must name the fake backend). */
    VmHost host(BackendChooser newVms) {
        NetworkConfig config = new NetworkConfig("banger0", Ipv4Subnet.parse(SUBNET), "banger.internal",
                0, NatMode.AUTO);
        VmHost host = new VmHost(commands, config, Map.of(FakeVmm.NAME, vmm), newVms, new HostDiskFacts(false, false, false),
                stateDir.resolve("warm"), 0);
        synchronized (hosts) {
            hosts.add(host);
        }
        return host;
    }

    VmService service(BootDeadlines deadlines) {
        return service(host(0), deadlines);
    }

    VmService service(VmHost host, BootDeadlines deadlines) {
        return service(host, deadlines, IMAGE);
    }

    /** A service whose configured default image is {@code defaultImage}, which need not exist yet (daemon tests). */
    public VmService service(BootDeadlines deadlines, String defaultImage) {
        return service(host(0), deadlines, defaultImage);
    }

    private VmService service(VmHost host, BootDeadlines deadlines, String defaultImage) {
        return new VmService(store.vms(), store.images(), null, host, stateDir,
                new VmDefaults(1, ByteSize.ofMebibytes(256), ByteSize.ofGibibytes(1)), () -> defaultImage, 10000, sshPort,
                Ipv4Subnet.parse(SUBNET), BootDeadlines.always(deadlines), store.settings());
    }

    public Path vmDir(String name) {
        return stateDir.resolve("vms").resolve(name);
    }

    /** The runtime recorded for VM {@code name}. */
    VmRuntime runtime(String name) {
        return VmRuntime.fromJson(store.vms().runtime(name).orElseThrow(), name);
    }

    /** TAPs the pretend kernel has now. */
    Set<String> taps() {
        return Set.copyOf(taps);
    }

    void addTap(String name) {
        taps.add(name);
    }

    /** The recorded network argvs that start with {@code prefix}. */
    List<List<String>> ran(List<String> prefix) {
        return network.recorded().stream()
                .filter(a -> a.size() >= prefix.size() && a.subList(0, prefix.size()).equals(prefix))
                .toList();
    }

    List<String> tapsDeleted() {
        return ran(TAP_DEL).stream().map(a -> a.get(4)).toList();
    }

    private void listenSsh(String ip) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(ip), sshPort), 50);
        sshPort = socket.getLocalPort();
        sshd.add(socket);
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    // A connect is all the boot wait asks of sshd.
                    socket.accept().close();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private String tapJson() {
        return taps.stream()
                .map(t -> "{\"ifname\":\"" + t + "\",\"flags\":[\"BROADCAST\",\"UP\"],\"linkinfo\":{\"info_kind\":\"tun\","
                        + "\"info_data\":{\"type\":\"tap\"}}}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static CommandResult ok(Command c, String stdout) {
        return new CommandResult(c, 0, stdout, "", Duration.ZERO);
    }

    @Override
    public void close() {
        vmm.closeAll();
        synchronized (hosts) {
            hosts.forEach(VmHost::close);
        }
        for (ServerSocket socket : sshd) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        store.close();
    }
}
