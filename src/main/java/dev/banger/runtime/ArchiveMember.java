package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Takes the one file an artifact names ({@code member}) out of its verified .tgz download: {@code tar}
 * unpacks just that member into a scratch directory, and when the spec pins {@code member_sha256} the
 * file's sum must match before anything is installed. The archive's pin already fixed its bytes, so a
 * missing member or a member with another sum is a mistake in the spec (or the publisher's), never a
 * passing network problem: both fail with what to fix, as {@link ErrorKind#INVALID_ARGUMENT} or a
 * {@link ChecksumMismatchException}. Stateless apart from the host seam; safe for concurrent use on
 * distinct scratch directories.
 */
final class ArchiveMember {
    private final HostCommands host;

    ArchiveMember(HostCommands host) {
        this.host = host;
    }

    /** The member of {@code archive} that {@code artifact} names, unpacked under {@code scratch} and verified. */
    Path extract(ArtifactSpec artifact, Path archive, Path scratch) {
        String member = artifact.member();
        // LC_ALL=C keeps tar's "Not found in archive" in English, which tells a wrong member from a broken tar.
        Command tar = Command.of("tar", "-xzf", archive.toString(), "-C", scratch.toString(), "--no-same-owner",
                "--", member).withEnv(Map.of("LC_ALL", "C")).withTimeout(Duration.ofMinutes(5));
        try {
            host.run(tar);
        } catch (CommandFailedException e) {
            if (e.result() != null && e.result().stderr().contains("Not found in archive")) {
                throw missing(artifact, archive);
            }
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + artifact.name()
                    + "': cannot unpack " + member + " from " + archive + ": " + e.getMessage(), e);
        }
        Path file = scratch.resolve(member).normalize();
        if (!file.startsWith(scratch) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw missing(artifact, archive);
        }
        if (!artifact.memberSha256().isEmpty()) {
            String actual = Sha256.of(file);
            if (!actual.equals(artifact.memberSha256())) {
                throw new ChecksumMismatchException(artifact.name(), artifact.memberSha256(), actual, "artifact '"
                        + artifact.name() + "': " + member + " in " + artifact.source().display()
                        + " has the wrong sha256: expected " + artifact.memberSha256() + ", got " + actual
                        + "; nothing was installed. Check the source, or fix member_sha256 in the bundle spec");
            }
        }
        return file;
    }

    private static RuntimeBundleException missing(ArtifactSpec artifact, Path archive) {
        return new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name() + "': "
                + artifact.source().display() + " holds no regular file " + artifact.member()
                + "; nothing was installed. Fix member in the bundle spec (`tar -tzf " + archive + "` lists the archive)");
    }
}
