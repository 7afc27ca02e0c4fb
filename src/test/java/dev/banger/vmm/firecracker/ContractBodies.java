package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the Firecracker contract tests share: expected request bodies and the check that a process is gone. */
final class ContractBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractBodies() {}

    /** A JSON object from alternating keys and values, to compare with a captured request body. */
    static JsonNode json(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }

    static void assertGone(long pid) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d", pid).isEmpty();
    }
}
