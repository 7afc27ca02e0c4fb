package dev.banger.daemon;

import dev.banger.model.ErrorKind;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.Share;
import dev.banger.model.Vm;
import dev.banger.model.VmList;
import dev.banger.rpc.InvalidParameterException;
import dev.banger.rpc.RpcMethod;
import dev.banger.store.OperationRepository;
import dev.banger.vm.CreateRequest;
import dev.banger.vm.VmInspector;
import dev.banger.vm.VmService;
import dev.banger.vm.create.CreatePlan;
import java.util.List;

/**
 * The {@code vm.*} methods. {@code vm.create.begin} checks everything and makes every choice
 * before it answers, then runs the create as a background operation whose stages the CLI polls
 * with {@code vm.create.status}; the other methods answer when done. Thread-safe.
 */
final class VmMethods {
    private final VmService vms;
    private final VmInspector inspector;
    private final OperationRepository operations;
    private final OperationRunner runner;

    VmMethods(VmService vms, VmInspector inspector, OperationRepository operations, OperationRunner runner) {
        this.vms = vms;
        this.inspector = inspector;
        this.operations = operations;
        this.runner = runner;
    }

    static String checkName(String field, String name) {
        if (name == null) {
            throw new InvalidParameterException(field, "a VM name is required");
        }
        if (!Vm.isValidName(name)) {
            throw new InvalidParameterException(field, "'" + name + "' is not a valid VM name: use 1 to 63 lower-case"
                    + " letters, digits and '-', starting with a letter or digit");
        }
        return name;
    }

    static void checkPositive(String field, Integer value) {
        if (value != null && value < 1) {
            throw new InvalidParameterException(field, "must be at least 1, got " + value);
        }
    }

    /**
     * {@code slowPath}: the benchmark's deliberate slow path (see {@link CreateRequest#slowPath()});
     * {@code publish}: port forward specs, as {@code vm.port.add} takes them.
     */
    record CreateParams(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean slowPath,
            Boolean cold, List<String> publish, List<ShareSpec> shares) {
        CreateParams {
            if (name != null) {
                checkName("name", name);
            }
            if (image != null && !dev.banger.model.Image.isValidName(image)) {
                throw new InvalidParameterException("image", "'" + image + "' is not a valid image name");
            }
            checkPositive("vcpus", vcpus);
            checkPositive("memoryMib", memoryMib);
            checkPositive("diskGib", diskGib);
            VmPortMethods.forwards("publish", publish);
            shares = shares == null ? List.of() : List.copyOf(shares);
        }
    }

    /**
     * One share on the wire: {@code hostPath} (absolute), {@code guestPath} (absent: {@code /mnt/<basename>}),
     * {@code readOnly} (absent: false). The paths themselves are checked by the VM layer.
     */
    record ShareSpec(String hostPath, String guestPath, Boolean readOnly) {
        ShareSpec {
            if (hostPath == null || hostPath.isBlank()) {
                throw new InvalidParameterException("hostPath", "give the host directory to share, as an absolute path");
            }
        }

        Share share() {
            return new Share(hostPath, guestPath == null ? Share.defaultGuestPath(hostPath) : guestPath, Boolean.TRUE.equals(readOnly));
        }
    }

    /** {@code vm.share.add}: a share for the VM named. */
    record ShareParams(String name, String hostPath, String guestPath, Boolean readOnly) {
        ShareParams {
            checkName("name", name);
            new ShareSpec(hostPath, guestPath, readOnly);
        }
    }

    /** {@code vm.share.rm}: the VM's share at {@code guestPath}. */
    record UnshareParams(String name, String guestPath) {
        UnshareParams {
            checkName("name", name);
            if (guestPath == null || guestPath.isBlank()) {
                throw new InvalidParameterException("guestPath", "give the guest path of the share to remove (see 'banger vm show')");
            }
        }
    }

    record NameParams(String name) {
        NameParams {
            checkName("name", name);
        }
    }

    record NamesParams(List<String> names) {
        NamesParams {
            if (names == null || names.isEmpty()) {
                throw new InvalidParameterException("names", "give at least one VM name");
            }
            names.forEach(n -> checkName("names", n));
            names = List.copyOf(names);
        }
    }

    record EditParams(String name, Integer vcpus, Integer memoryMib, Integer diskGib) {
        EditParams {
            checkName("name", name);
            checkPositive("vcpus", vcpus);
            checkPositive("memoryMib", memoryMib);
            checkPositive("diskGib", diskGib);
        }
    }

    record LogsParams(String name, Long offset) {
        LogsParams {
            checkName("name", name);
            if (offset != null && offset < 0) {
                throw new InvalidParameterException("offset", "must not be negative, got " + offset);
            }
        }
    }

    record OperationParams(String operationId) {
        OperationParams {
            if (operationId == null || !operationId.matches("[0-9a-f-]{36}")) {
                throw new InvalidParameterException("operationId", "expected an operation id as returned by vm.create.begin");
            }
        }
    }

    /** What the warm pool should hold: the creates to come (null: the defaults). */
    record PrepareParams(String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean cold) {
        PrepareParams {
            if (image != null && !dev.banger.model.Image.isValidName(image)) {
                throw new InvalidParameterException("image", "'" + image + "' is not a valid image name");
            }
            checkPositive("vcpus", vcpus);
            checkPositive("memoryMib", memoryMib);
            checkPositive("diskGib", diskGib);
        }
    }

    /**
     * A TAP takes milliseconds, a warm machine a fraction of a second even on a busy 2-core host;
     * a host that needs longer for the pools is broken.
     */
    private static final java.time.Duration HOST_PREPARE_DEADLINE = java.time.Duration.ofSeconds(60);

    List<RpcMethod<?, ?>> methods() {
        return List.of(
                RpcMethod.of("vm.create.begin", CreateParams.class, (p, c) -> beginCreate(p)),
                RpcMethod.of("vm.create.status", OperationParams.class, (p, c) -> operations.find(p.operationId())
                        .filter(op -> op.kind() == OperationKind.VM_CREATE)
                        .orElseThrow(() -> new DaemonException(ErrorKind.NOT_FOUND, "no VM create operation " + p.operationId()))),
                RpcMethod.withoutParams("vm.list", c -> new VmList(vms.list())),
                RpcMethod.of("vm.host.prepare", PrepareParams.class,
                        (p, c) -> vms.prepareHost(HOST_PREPARE_DEADLINE, p.image(), p.vcpus(), p.memoryMib(), p.diskGib(),
                                Boolean.TRUE.equals(p.cold()))),
                RpcMethod.of("vm.show", NameParams.class, (p, c) -> vms.info(p.name())),
                RpcMethod.of("vm.start", NameParams.class, (p, c) -> vms.start(p.name())),
                RpcMethod.of("vm.stop", NameParams.class, (p, c) -> vms.stop(p.name())),
                RpcMethod.of("vm.restart", NameParams.class, (p, c) -> vms.restart(p.name())),
                RpcMethod.of("vm.delete", NamesParams.class, (p, c) -> vms.delete(p.names())),
                RpcMethod.of("vm.share.add", ShareParams.class, (p, c) -> {
                    vms.shares().add(p.name(), new ShareSpec(p.hostPath(), p.guestPath(), p.readOnly()).share());
                    return vms.info(p.name());
                }),
                RpcMethod.of("vm.share.rm", UnshareParams.class, (p, c) -> {
                    vms.shares().remove(p.name(), p.guestPath());
                    return vms.info(p.name());
                }),
                RpcMethod.of("vm.edit", EditParams.class, (p, c) -> vms.edit(p.name(), p.vcpus(), p.memoryMib(), p.diskGib())),
                RpcMethod.of("vm.stats", NameParams.class, (p, c) -> inspector.stats(p.name())),
                RpcMethod.of("vm.health", NameParams.class, (p, c) -> inspector.health(p.name())),
                RpcMethod.of("vm.logs", LogsParams.class, (p, c) -> inspector.logs(p.name(), p.offset() == null ? 0 : p.offset())),
                RpcMethod.of("vm.ssh", NameParams.class, (p, c) -> inspector.ssh(p.name())));
    }

    private Operation beginCreate(CreateParams p) {
        CreatePlan plan = vms.plan(new CreateRequest(p.name(), p.image(), p.vcpus(), p.memoryMib(), p.diskGib(),
                Boolean.TRUE.equals(p.slowPath()), Boolean.TRUE.equals(p.cold()), VmPortMethods.forwards("publish", p.publish()),
                p.shares().stream().map(ShareSpec::share).toList()));
        return runner.begin(OperationKind.VM_CREATE, plan.name(), plan.stages(), stages -> vms.create(plan, stages));
    }
}
