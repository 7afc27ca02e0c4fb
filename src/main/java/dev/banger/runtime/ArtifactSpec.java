package dev.banger.runtime;

import java.util.Objects;

/**
 * One artifact as the bundle spec declares it.
 *
 * @param name       stable name other code asks for (see {@link RuntimeArtifacts})
 * @param version    declared version; staged artifacts may leave it empty and record the resolved one
 * @param source     where its bytes come from
 * @param sha256     expected sum of the fetched source bytes (http(s): required; file://: optional);
 *                   empty for staged/generated artifacts, whose sum is recorded in the manifest at staging
 * @param member     for an archive source (.tgz), the file inside it that becomes the artifact; else empty
 * @param memberSha256 optional pin of that member's own sum, checked after unpacking and before it is
 *                   installed (the archive's pin vouches for the archive; this one for the file taken from it)
 * @param path       where it goes in the bundle, relative to the bundle root
 * @param optional   whether bootstrap may finish without it (a warning instead of a failure)
 * @param executable whether the installed file is made executable
 * @param mode       explicit octal permission bits (e.g. "0600" for a private key); empty for defaults
 */
public record ArtifactSpec(String name, String version, ArtifactSource source, String sha256, String member,
                           String memberSha256, String path, boolean optional, boolean executable, String mode) {
    public ArtifactSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        version = version == null ? "" : version;
        sha256 = sha256 == null ? "" : sha256.toLowerCase(java.util.Locale.ROOT);
        member = member == null ? "" : member;
        memberSha256 = memberSha256 == null ? "" : memberSha256.toLowerCase(java.util.Locale.ROOT);
        mode = mode == null ? "" : mode;
    }

    public boolean pinned() {
        return !sha256.isEmpty();
    }
}
