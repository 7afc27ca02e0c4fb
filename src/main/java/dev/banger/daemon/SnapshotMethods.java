package dev.banger.daemon;

import dev.banger.model.Image;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.rpc.RpcMethod;
import dev.banger.store.ImageRepository;
import dev.banger.store.OperationRepository;
import dev.banger.vm.VmService;
import dev.banger.vm.VmSnapshots;
import dev.banger.vm.state.VmRules;
import dev.banger.vm.warm.GoldenMaker;
import java.util.List;

/**
 * The golden-snapshot RPC methods: {@code image.snapshot.begin} (a staged operation: prepare, boot,
 * save, freeze), {@code image.snapshot.status} and {@code image.snapshot.delete}. The sizes default
 * to {@code [vm]}'s, as for a create. Stateless.
 */
final class SnapshotMethods {
    private final VmService vms;
    private final ImageRepository images;
    private final OperationRepository operations;
    private final OperationRunner runner;

    SnapshotMethods(VmService vms, ImageRepository images, OperationRepository operations, OperationRunner runner) {
        this.vms = vms;
        this.images = images;
        this.operations = operations;
        this.runner = runner;
    }

    /** The image and, optionally, the size of the snapshot, checked by the create's rules (a delete too). */
    record ShapeParams(String name, Integer vcpus, Integer memoryMib) {
        ShapeParams {
            new ImageMethods.NameParams(name);
            if (vcpus != null) {
                VmRules.requireVcpus(vcpus);
            }
            if (memoryMib != null) {
                VmRules.requireMemory(memoryMib);
            }
        }
    }

    /** {@code image.snapshot.delete}'s answer: what was removed (nothing is not an error). */
    record Deleted(String image, List<ImageSnapshot> deleted) {}

    List<RpcMethod<?, ?>> methods() {
        return List.of(
                RpcMethod.of("image.snapshot.begin", ShapeParams.class, (p, c) -> begin(p)),
                RpcMethod.of("image.snapshot.status", ImageMethods.OperationParams.class,
                        (p, c) -> ImageMethods.status(operations, p.operationId(), OperationKind.IMAGE_SNAPSHOT)),
                RpcMethod.of("image.snapshot.delete", ShapeParams.class, (p, c) -> {
                    Image image = images.get(p.name());
                    return new Deleted(image.name(), vms.snapshots().delete(image, p.vcpus(), p.memoryMib()));
                }));
    }

    private Operation begin(ShapeParams p) {
        VmSnapshots.MakeRequest request = vms.snapshotRequest(p.name(), p.vcpus(), p.memoryMib());
        return runner.begin(OperationKind.IMAGE_SNAPSHOT, p.name(), GoldenMaker.STAGES,
                stages -> vms.snapshots().make(request, stages));
    }
}
