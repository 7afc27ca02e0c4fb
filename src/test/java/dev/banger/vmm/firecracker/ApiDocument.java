package dev.banger.vmm.firecracker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds Firecracker's official OpenAPI document for the contract tests: {@code
 * $BANGER_FIRECRACKER_SPEC}, else {@code shared/reference/} beside the checkout (or beside one of
 * its parent directories, for a worktree nested deeper).
 */
final class ApiDocument {
    static final String FILE_NAME = "firecracker-api-v1.16.1.yaml";
    static final String MISSING = "Firecracker's API document was not found: set BANGER_FIRECRACKER_SPEC or put "
            + FILE_NAME + " in ../shared/reference/ beside the checkout";

    private ApiDocument() {
    }

    static Optional<Path> locate() {
        String fromEnv = System.getenv("BANGER_FIRECRACKER_SPEC");
        if (fromEnv != null && !fromEnv.isBlank() && Files.isRegularFile(Path.of(fromEnv))) {
            return Optional.of(Path.of(fromEnv));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path parent = dir.getParent(); parent != null; parent = parent.getParent()) {
            Path candidate = parent.resolve("shared/reference").resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
