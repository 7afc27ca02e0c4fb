package dev.banger.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code runtime-bundle.toml} into a {@link BundleSpec}, checking everything a bootstrap
 * would otherwise trip over halfway: unknown keys, duplicate names, unsafe paths, malformed sums,
 * unpinned downloads. Stateless and thread-safe.
 */
public final class BundleSpecLoader {
    private static final Set<String> ARTIFACT_KEYS =
            Set.of("name", "version", "source", "sha256", "member", "member_sha256", "path", "optional", "executable",
                    "mode");
    private static final Set<String> TOP_KEYS = Set.of("version", "artifact", "debian-kernel", "firecracker");

    private BundleSpecLoader() {}

    public static BundleSpec load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RuntimeBundleException(ErrorKind.NOT_FOUND, "runtime bundle spec " + file + " does not exist;"
                    + " pass --spec <file> or run from a source checkout (config/runtime-bundle.toml)");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses spec text; {@code origin} names it in error messages. */
    public static BundleSpec parse(String toml, String origin) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (IOException e) {
            throw invalid(origin, "is not valid TOML: " + e.getMessage());
        }
        checkKeys(root, TOP_KEYS, origin, "top level");
        String version = text(root, "version", origin, "top level");
        if (version.isEmpty() || !version.matches("[A-Za-z0-9._+-]+")) {
            throw invalid(origin, "needs version = \"…\" (letters, digits, . _ + -), got '" + version + "'");
        }

        JsonNode fc = root.path("firecracker");
        checkKeys(fc, Set.of("binary", "jailer"), origin, "[firecracker]");
        String fcBinary = text(fc, "binary", origin, "[firecracker]");
        String jailerBinary = text(fc, "jailer", origin, "[firecracker]");

        List<ArtifactSpec> artifacts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (JsonNode node : root.path("artifact")) {
            ArtifactSpec spec = artifact(node, origin);
            if (!names.add(spec.name())) {
                throw invalid(origin, "declares artifact '" + spec.name() + "' twice");
            }
            if (!paths.add(spec.path())) {
                throw invalid(origin, "puts two artifacts at '" + spec.path() + "'");
            }
            artifacts.add(override(spec, fcBinary, jailerBinary));
        }
        if (artifacts.isEmpty()) {
            throw invalid(origin, "declares no [[artifact]] tables");
        }

        JsonNode dk = root.path("debian-kernel");
        checkKeys(dk, Set.of("package", "deb_sha256", "initrd_modules"), origin, "[debian-kernel]");
        String metaPackage = text(dk, "package", origin, "[debian-kernel]");
        String debSha = text(dk, "deb_sha256", origin, "[debian-kernel]");
        if (!debSha.isEmpty() && !Sha256.isValid(debSha)) {
            throw invalid(origin, "[debian-kernel] deb_sha256 is not 64 hex digits: '" + debSha + "'");
        }
        List<String> modules = new ArrayList<>();
        for (JsonNode m : dk.path("initrd_modules")) {
            modules.add(m.asText());
        }
        var kernel = new BundleSpec.DebianKernelSettings(
                metaPackage.isEmpty() ? "linux-image-cloud-amd64" : metaPackage, debSha, modules);
        return new BundleSpec(version, artifacts, kernel);
    }

    /** {@code [firecracker] binary/jailer} replace the release download with a local file. */
    private static ArtifactSpec override(ArtifactSpec spec, String fcBinary, String jailerBinary) {
        String local = spec.name().equals(RuntimeArtifacts.FIRECRACKER) ? fcBinary
                : spec.name().equals(RuntimeArtifacts.JAILER) ? jailerBinary : "";
        if (local.isEmpty()) {
            return spec;
        }
        return withLocalFile(spec, Path.of(local).toAbsolutePath().normalize());
    }

    /** The same artifact, sourced from a local file whose sum is recorded rather than pinned. */
    static ArtifactSpec withLocalFile(ArtifactSpec spec, Path file) {
        return new ArtifactSpec(spec.name(), spec.version(), new ArtifactSource.LocalFile(file), "", "", "",
                spec.path(), spec.optional(), spec.executable(), spec.mode());
    }

    private static ArtifactSpec artifact(JsonNode node, String origin) {
        String name = text(node, "name", origin, "[[artifact]]");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw invalid(origin, "has an [[artifact]] with a missing or malformed name '" + name + "'");
        }
        String where = "artifact '" + name + "'";
        checkKeys(node, ARTIFACT_KEYS, origin, where);
        ArtifactSource source = ArtifactSource.parse(name, text(node, "source", origin, where));
        String sha = text(node, "sha256", origin, where);
        if (!sha.isEmpty() && !Sha256.isValid(sha)) {
            throw invalid(origin, where + " has a sha256 that is not 64 hex digits: '" + sha + "'");
        }
        boolean optional = node.path("optional").asBoolean(false);
        // An optional download may stay unpinned: bootstrap then skips it with a warning instead of
        // installing bytes nobody vouched for. A required one must be pinned.
        if (source instanceof ArtifactSource.Http && sha.isEmpty() && !optional) {
            throw invalid(origin, where + " downloads " + source.display()
                    + " without a pinned sha256; add sha256 = \"…\" from the publisher's checksum list");
        }
        if (source instanceof ArtifactSource.Recipe && !sha.isEmpty()) {
            throw invalid(origin, where + " is staged (" + source.display() + "): its sum is recorded in the"
                    + " manifest at staging time, so sha256 must be left out");
        }
        String member = text(node, "member", origin, where);
        String memberSha = text(node, "member_sha256", origin, where);
        if (!memberSha.isEmpty() && !Sha256.isValid(memberSha)) {
            throw invalid(origin, where + " has a member_sha256 that is not 64 hex digits: '" + memberSha + "'");
        }
        if (!memberSha.isEmpty() && member.isEmpty()) {
            throw invalid(origin, where + " pins member_sha256 but names no member; member_sha256 is the sum of"
                    + " the file taken from an archive source, so add member = \"…\" or drop member_sha256");
        }
        String path = text(node, "path", origin, where);
        if (!BundlePaths.isSafeRelative(path)) {
            throw invalid(origin, where + " has path '" + path + "'; use a relative path inside the bundle (no '..')");
        }
        String mode = text(node, "mode", origin, where);
        if (!mode.isEmpty() && !mode.matches("0?[0-7]{3}")) {
            throw invalid(origin, where + " has mode '" + mode + "'; use octal like \"0600\"");
        }
        return new ArtifactSpec(name, text(node, "version", origin, where), source, sha, member, memberSha,
                path, optional,
                node.path("executable").asBoolean(false), mode);
    }

    private static String text(JsonNode node, String key, String origin, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isValueNode()) {
            throw invalid(origin, where + ": '" + key + "' must be a string");
        }
        return value.asText().strip();
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String origin, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw invalid(origin, where + ": unknown key '" + key + "' (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static RuntimeBundleException invalid(String origin, String what) {
        return new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "runtime bundle spec " + origin + " " + what);
    }
}
