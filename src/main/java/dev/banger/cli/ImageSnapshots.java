package dev.banger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.Operation;
import dev.banger.rpc.Json;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden snapshots as the CLI handles them: making one ({@code image.snapshot.begin}, then its
 * stages followed to the end) and describing one on a line. Shared by {@code banger image
 * snapshot}, {@code banger image show} and the create benchmark's {@code --compare-cold}. Stateless.
 */
final class ImageSnapshots {
    static final String BEGIN = "image.snapshot.begin";
    static final String STATUS = "image.snapshot.status";
    static final String DELETE = "image.snapshot.delete";
    /** The guest boots to ready once under the snapshot's making; under emulation that is slow. */
    static final Duration DEADLINE = Duration.ofMinutes(20);
    private static final Duration CALL = Duration.ofMinutes(2);

    private ImageSnapshots() {}

    /** {@code {name, vcpus?, memoryMib?}}: the sizes only when given, the daemon's config decides the rest. */
    static Map<String, Object> params(String image, Integer vcpus, Integer memoryMib) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", image);
        if (vcpus != null) {
            params.put("vcpus", vcpus);
        }
        if (memoryMib != null) {
            params.put("memoryMib", memoryMib);
        }
        return params;
    }

    /**
     * Begins making the snapshot. The answer is the operation, as {@code image.verify.begin}'s is,
     * or only its {@code operationId}; then its first status is asked for.
     */
    static Operation begin(RpcClient client, Map<String, Object> params) {
        JsonNode answer = client.call(BEGIN, params, JsonNode.class, CALL);
        if (answer != null && answer.has("stages")) {
            try {
                return Json.mapper().treeToValue(answer, Operation.class);
            } catch (JsonProcessingException e) {
                throw new OperationProgress.OperationFailedException("bangerd's answer to " + BEGIN
                        + " does not match this CLI's version: " + e.getOriginalMessage());
            }
        }
        String id = answer == null ? null : answer.path("operationId").textValue();
        if (id == null) {
            throw new OperationProgress.OperationFailedException("bangerd's answer to " + BEGIN
                    + " names no operation: " + answer + "; is bangerd the same version as this CLI?");
        }
        return client.call(STATUS, Map.of("operationId", id), Operation.class, CALL);
    }

    /** Begins making the snapshot and follows it to its end; {@code progress} (or null) shows the stages. */
    static Operation make(RpcClient client, Map<String, Object> params, PrintWriter progress) {
        return new OperationProgress(client, STATUS, progress).follow(begin(client, params), DEADLINE);
    }

    /** {@code 2 vCPU, 1024 MiB, qemu}. */
    static String shape(ImageSnapshot snapshot) {
        return snapshot.vcpus() + " vCPU, " + snapshot.memoryMib() + " MiB, " + snapshot.backend();
    }

    /** One line per snapshot, columns aligned: shape, size on disk, when it was made, the restores it served. */
    static List<String> lines(List<ImageSnapshot> snapshots) {
        List<List<String>> rows = snapshots.stream().map(s -> List.of(shape(s), size(s.sizeBytes()),
                "made " + s.createdAt().truncatedTo(ChronoUnit.SECONDS),
                s.restores() + (s.restores() == 1 ? " restore" : " restores") + " served")).toList();
        int[] widths = new int[4];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        return rows.stream().map(row -> {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i)).append(i == row.size() - 1 ? "" : " ".repeat(widths[i] - row.get(i).length() + 2));
            }
            return line.toString();
        }).toList();
    }

    /** {@code 312 MiB} below a GiB, else {@code 1.25 GiB}. */
    static String size(long bytes) {
        return bytes < 1L << 30 ? VmView.mib(bytes) : VmView.gib(bytes);
    }
}
