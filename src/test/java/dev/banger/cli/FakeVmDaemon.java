package dev.banger.cli;

import dev.banger.config.BangerPaths;
import dev.banger.model.ErrorKind;
import dev.banger.model.HealthReport;
import dev.banger.model.Image;
import dev.banger.model.ImageDetails;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.ImageStatus;
import dev.banger.model.Operation;
import dev.banger.model.SshTarget;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmList;
import dev.banger.model.VmLogChunk;
import dev.banger.model.PortForward;
import dev.banger.model.VmPorts;
import dev.banger.model.VmState;
import dev.banger.model.VmStats;
import dev.banger.rpc.PeerAuthorizer;
import dev.banger.rpc.RpcDispatcher;
import dev.banger.rpc.RpcErrorCodes;
import dev.banger.rpc.RpcException;
import dev.banger.rpc.RpcMethod;
import dev.banger.rpc.RpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bangerd stand-in for CLI tests: a real {@link RpcServer} on a socket in a temp dir, serving
 * canned {@code vm.*} and {@code image.*} answers that each test sets, and recording every call with its decoded params.
 * The params records reject unknown members, so a CLI that sends a wrong name fails the call.
 */
final class FakeVmDaemon implements AutoCloseable {
    record NameParams(String name) {}

    record ShareSpec(String hostPath, String guestPath, Boolean readOnly) {}

    record CreateParams(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean cold,
            List<String> publish, List<ShareSpec> shares) {
        CreateParams(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean cold) {
            this(name, image, vcpus, memoryMib, diskGib, cold, null, null);
        }
    }

    record PortParams(String name, String spec) {}
    record ShareParams(String name, String hostPath, String guestPath, Boolean readOnly) {}

    record UnshareParams(String name, String guestPath) {}

    record SnapshotParams(String name, Integer vcpus, Integer memoryMib) {}

    record OperationParams(String operationId) {}

    record DeleteParams(List<String> names) {}

    record EditParams(String name, Integer vcpus, Integer memoryMib, Integer diskGib) {}

    record LogParams(String name, long offset) {}

    record Call(String method, Object params) {}

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    final BangerPaths paths;
    private final RpcServer server;
    final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Snapshots handed out in order: the first by vm.create.begin, the rest by vm.create.status; the last repeats. */
    volatile List<Operation> createSnapshots = List.of();
    private final AtomicInteger snapshot = new AtomicInteger();
    volatile VmDeleteResult deleteResult = new VmDeleteResult(List.of());
    final Deque<VmLogChunk> logChunks = new ArrayDeque<>();
    volatile boolean healthFails;
    /** Answers of image.snapshot.status in order, the last repeating; image.snapshot.begin answers only the first's id. */
    volatile List<Operation> snapshotOperations = List.of();
    private final AtomicInteger snapshotStatus = new AtomicInteger();
    /** Whether image.snapshot.begin answers the whole first operation, as image.verify.begin does, instead of its id. */
    volatile boolean snapshotBeginAnswersOperation;
    /** When set, image.snapshot.begin refuses with it. */
    volatile RpcException snapshotRefusal;
    /** What image.show lists as the image's snapshots. */
    volatile List<ImageSnapshot> imageSnapshots = List.of();
    /** What vm.port.list and vm.port.add answer the VM publishes. */
    volatile List<PortForward> ports = List.of();
    /** What image.snapshot.delete answers it deleted. */
    volatile List<ImageSnapshot> deletedSnapshots = List.of();

    FakeVmDaemon(Path dir) throws IOException {
        paths = new BangerPaths(dir.resolve("state"), dir.resolve("run"), dir.resolve("cache"), dir.resolve("config.toml"));
        Files.createDirectories(paths.runtimeDir());
        String group = Files.getAttribute(dir, "posix:group").toString();
        server = RpcServer.start(paths.socket(), new RpcDispatcher(methods()), new PeerAuthorizer(group, user -> Set.of()));
    }

    DaemonConnector connector() {
        return new DaemonConnector(paths);
    }

    List<String> methodsCalled() {
        synchronized (calls) {
            return calls.stream().map(Call::method).toList();
        }
    }

    <P> P onlyParams(String method, Class<P> type) {
        synchronized (calls) {
            List<Object> matching = calls.stream().filter(c -> c.method().equals(method)).map(Call::params).toList();
            if (matching.size() != 1) {
                throw new AssertionError("expected one call of " + method + ", got " + calls);
            }
            return type.cast(matching.getFirst());
        }
    }

    private <P, R> RpcMethod<P, R> recorded(String name, Class<P> type, java.util.function.Function<P, R> answer) {
        return RpcMethod.of(name, type, (params, context) -> {
            calls.add(new Call(name, params));
            return answer.apply(params);
        });
    }

    private List<RpcMethod<?, ?>> methods() {
        return List.of(
                recorded("vm.create.begin", CreateParams.class, p -> nextSnapshot()),
                recorded("vm.create.status", OperationParams.class, p -> nextSnapshot()),
                RpcMethod.withoutParams("vm.list", context -> {
                    calls.add(new Call("vm.list", null));
                    return new VmList(List.of(vm("dev1"), vm("dev2")));
                }),
                RpcMethod.withoutParams("image.list", context -> {
                    calls.add(new Call("image.list", null));
                    return Map.of("images", List.of(image("default"), image("void-exp", false)));
                }),
                recorded("vm.show", NameParams.class, p -> vm(p.name())),
                recorded("vm.port.list", NameParams.class, p -> new VmPorts(p.name(), "172.16.0.2", true, ports)),
                recorded("vm.port.add", PortParams.class, p -> new VmPorts(p.name(), "172.16.0.2", false, ports)),
                recorded("vm.port.rm", PortParams.class, p -> new VmPorts(p.name(), "172.16.0.2", true, List.of())),
                recorded("vm.start", NameParams.class, p -> vm(p.name())),
                recorded("vm.stop", NameParams.class, p -> withState(vm(p.name()), VmState.STOPPED)),
                recorded("vm.restart", NameParams.class, p -> vm(p.name())),
                recorded("vm.delete", DeleteParams.class, p -> deleteResult),
                recorded("vm.edit", EditParams.class, p -> vm(p.name())),
                recorded("vm.share.add", ShareParams.class, p -> vm(p.name())),
                recorded("vm.share.rm", UnshareParams.class, p -> vm(p.name())),
                recorded("vm.stats", NameParams.class, p -> new VmStats(p.name(), VmState.RUNNING, 12.5, 3.25,
                        300L * 1024 * 1024, 1024, 8L << 30, 3L << 29, 3_700L)),
                recorded("vm.health", NameParams.class, p -> {
                    if (healthFails) {
                        throw new RpcException(RpcErrorCodes.INTERNAL_ERROR, ErrorKind.PRECONDITION_FAILED,
                                "agent of " + p.name() + " did not answer", null);
                    }
                    return health();
                }),
                recorded("vm.logs", LogParams.class, p -> {
                    synchronized (logChunks) {
                        VmLogChunk next = logChunks.poll();
                        if (next == null) {
                            throw new IllegalStateException("the CLI asked for more log after the last chunk");
                        }
                        return next;
                    }
                }),
                recorded("image.snapshot.begin", SnapshotParams.class,
                        p -> {
                            if (snapshotRefusal != null) {
                                throw snapshotRefusal;
                            }
                            return snapshotBeginAnswersOperation ? snapshotOperations.getFirst()
                                    : Map.of("operationId", snapshotOperations.getFirst().id());
                        }),
                recorded("image.snapshot.status", OperationParams.class, p -> {
                    List<Operation> answers = snapshotOperations;
                    return answers.get(Math.min(snapshotStatus.getAndIncrement(), answers.size() - 1));
                }),
                recorded("image.snapshot.delete", SnapshotParams.class,
                        p -> new ImageSnapshotCommand.Deleted(p.name(), deletedSnapshots)),
                recorded("image.show", NameParams.class, p -> new ImageDetails(image(p.name()), "{\"distro\":\"debian\"}",
                        List.of("dev1"), imageSnapshots)),
                recorded("vm.ssh", NameParams.class, p -> new SshTarget(p.name(), "172.16.0.2", 22, "root",
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-for-" + p.name() + "\n-----END OPENSSH PRIVATE KEY-----",
                        List.of("172.16.0.2 ssh-ed25519 AAAAhostkey"))));
    }

    private Operation nextSnapshot() {
        List<Operation> snapshots = createSnapshots;
        return snapshots.get(Math.min(snapshot.getAndIncrement(), snapshots.size() - 1));
    }

    static VmInfo vm(String name) {
        return new VmInfo(name, "default", VmState.RUNNING, 2, 1024, 8L << 30, "172.16.0.2", "02:42:ac:10:00:02", 3,
                name + ".vm", "qemu", "kvm", 4242L, "tap-bg0", "qcow2-overlay", "/var/lib/banger/vms/" + name,
                T0, T0.plusSeconds(5));
    }

    static Image image(String name) {
        return image(name, true);
    }

    static Image image(String name, boolean isDefault) {
        return new Image(name, "debian", Path.of("/var/lib/banger/images/" + name + "/vmlinux"), null, null,
                Path.of("/var/lib/banger/images/" + name + "/rootfs.ext4"), null, "{}", null, ImageStatus.READY, T0, true, isDefault);
    }

    static VmInfo withState(VmInfo vm, VmState state) {
        return new VmInfo(vm.name(), vm.image(), state, vm.vcpus(), vm.memoryMib(), vm.diskBytes(), vm.ip(), vm.mac(),
                vm.vsockCid(), vm.dnsName(), vm.vmm(), null, null, null, vm.rootDisk(), vm.vmDir(), vm.createdAt(), vm.updatedAt());
    }

    static HealthReport health() {
        return new HealthReport(HealthReport.Status.OK, false, "b00t-1d", Duration.ofSeconds(95), "dev1",
                Map.of("sshd", new HealthReport.Service(22, true), "opencode", new HealthReport.Service(4096, false)),
                new HealthReport.WorkDisk("/root", true), List.of(), "0.3.0");
    }

    @Override
    public void close() {
        server.close(Duration.ofSeconds(2));
    }
}
