package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Firecracker tests find their API documents. The project's own reference,
 * {@code docs/reference/firecracker-api.yaml}, is part of the checkout, so the contract tests
 * need nothing beside it: it is looked up in the project directory (Surefire's {@code basedir},
 * else the working directory, which Surefire sets to it) and a missing one fails loudly rather
 * than skipping. Firecracker's official document is optional and only named by
 * {@code $BANGER_FIRECRACKER_SPEC}; nothing searches the directories around the checkout.
 */
final class ApiDocument {
    static final String REFERENCE = "docs/reference/firecracker-api.yaml";
    static final String OFFICIAL_VARIABLE = "BANGER_FIRECRACKER_SPEC";
    static final String HOW_TO_CHECK = "set " + OFFICIAL_VARIABLE + " to Firecracker's official API document to check"
            + " the project's reference against it, e.g. " + OFFICIAL_VARIABLE
            + "=/path/to/firecracker-api-v1.16.1.yaml make test (the file is src/firecracker/swagger/firecracker.yaml"
            + " at Firecracker's v1.16.1 tag)";

    /**
     * YAML 1.2 scalars: a YAML 1.1 reader takes the official document's unquoted log level
     * {@code Off} for the boolean false, but Firecracker means the word.
     */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build());

    private ApiDocument() {
    }

    /** The project's reference document. */
    static Path reference() {
        Set<Path> tried = new LinkedHashSet<>();
        for (String dir : new String[] {System.getProperty("basedir"), System.getProperty("user.dir")}) {
            if (dir == null || dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir).toAbsolutePath().resolve(REFERENCE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalStateException("the project's Firecracker API reference " + REFERENCE
                + " was not found (tried " + tried + "); run the tests from the project directory, as Maven does");
    }

    /**
     * Firecracker's official document, when {@code $BANGER_FIRECRACKER_SPEC} names one.
     *
     * @throws IllegalStateException when the variable is set but names no file: asked for, it must be there
     */
    static Optional<Path> official() {
        String named = System.getenv(OFFICIAL_VARIABLE);
        if (named == null || named.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(named);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(OFFICIAL_VARIABLE + "=" + named + " is not a file; point it at Firecracker's"
                    + " official API document or unset it");
        }
        return Optional.of(path);
    }

    /** Parses a YAML (or JSON) API document into a tree. */
    static JsonNode parse(Path document) {
        try {
            return YAML.readTree(document.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse the API document " + document, e);
        }
    }

    /** Parses an API document given as text. */
    static JsonNode parse(String document) {
        try {
            return YAML.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse an inline API document", e);
        }
    }
}
