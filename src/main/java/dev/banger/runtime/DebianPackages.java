package dev.banger.runtime;

import java.util.Optional;

/** Parsers for {@code apt-cache} output. Pure functions; thread-safe. */
final class DebianPackages {
    private DebianPackages() {}

    /** Facts about one package version from {@code apt-cache show --no-all-versions}. */
    record PackageInfo(String name, String version, String sha256, String filename) {}

    /** The versioned kernel image a meta package depends on ({@code linux-image-6.1.0-56-cloud-amd64}). */
    static Optional<String> versionedImage(String aptCacheDependsOutput) {
        for (String line : aptCacheDependsOutput.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Depends:")) {
                String dep = trimmed.substring("Depends:".length()).strip();
                if (dep.startsWith("<")) {
                    continue; // a virtual package
                }
                if (dep.startsWith("linux-image-") && Character.isDigit(dep.charAt("linux-image-".length()))) {
                    return Optional.of(dep.split("\\s")[0]);
                }
            }
        }
        return Optional.empty();
    }

    /** The first stanza of {@code apt-cache show} output (the candidate with --no-all-versions). */
    static Optional<PackageInfo> firstStanza(String aptCacheShowOutput) {
        String name = null;
        String version = null;
        String sha = null;
        String file = null;
        for (String line : aptCacheShowOutput.split("\n")) {
            if (line.isBlank()) {
                if (name != null) {
                    break;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0 || line.startsWith(" ")) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "Package" -> name = value;
                case "Version" -> version = value;
                case "SHA256" -> sha = value.toLowerCase(java.util.Locale.ROOT);
                case "Filename" -> file = value;
                default -> { }
            }
        }
        if (name == null || version == null) {
            return Optional.empty();
        }
        return Optional.of(new PackageInfo(name, version, sha == null ? "" : sha, file == null ? "" : file));
    }

    /** {@code linux-image-6.1.0-56-cloud-amd64} → {@code 6.1.0-56-cloud-amd64}. */
    static String kernelRelease(String imagePackage) {
        return imagePackage.substring("linux-image-".length());
    }
}
