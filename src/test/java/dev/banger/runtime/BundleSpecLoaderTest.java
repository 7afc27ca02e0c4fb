package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundleSpecLoaderTest {
    private static final Path SHIPPED = Path.of("config/runtime-bundle.toml");
    private static final String RELEASE =
            "https://github.com/firecracker-microvm/firecracker/releases/download/v1.16.1/firecracker-v1.16.1-x86_64.tgz";
    private static final String ARCHIVE_SHA = "382a02a869e4d6d5cb14c40577f9545e8458021ea8b0b2d3fc10ec14d9c242e6";
    private static final String FIRECRACKER_SHA = "2fd0171309af7e24cf8dafc8a6f921c1434c49b5f9349bb996b7ed0a4deb8aa7";
    private static final String AARCH64_ARCHIVE_SHA = "8d0e69f6d6f9a1724551f607f18504052c16c1828ee3d4d7b6e6c73380871e0e";

    @Test
    void shippedSpecPinsTheFirecrackerReleaseArchiveAndBinary() {
        BundleSpec spec = BundleSpecLoader.load(SHIPPED);

        ArtifactSpec firecracker = spec.artifact(RuntimeArtifacts.FIRECRACKER).orElseThrow();
        assertThat(firecracker.source()).isEqualTo(ArtifactSource.parse("firecracker", RELEASE));
        assertThat(firecracker.sha256()).isEqualTo(ARCHIVE_SHA);
        assertThat(firecracker.member()).isEqualTo("release-v1.16.1-x86_64/firecracker-v1.16.1-x86_64");
        assertThat(firecracker.memberSha256()).isEqualTo(FIRECRACKER_SHA);
        assertThat(firecracker.version()).isEqualTo("1.16.1");
        assertThat(firecracker.optional()).isTrue();
        assertThat(firecracker.executable()).isTrue();

        ArtifactSpec jailer = spec.artifact(RuntimeArtifacts.JAILER).orElseThrow();
        assertThat(jailer.source()).isEqualTo(firecracker.source());
        assertThat(jailer.sha256()).isEqualTo(ARCHIVE_SHA);
        assertThat(jailer.member()).isEqualTo("release-v1.16.1-x86_64/jailer-v1.16.1-x86_64");
        assertThat(jailer.memberSha256()).as("the jailer's own sum is not known, so it stays unpinned").isEmpty();
        assertThat(jailer.optional()).isTrue();
    }

    @Test
    void shippedSpecRecordsTheAarch64SumAndNamesNoPathOutsideTheRepository() throws IOException {
        String text = Files.readString(SHIPPED);

        assertThat(text).contains("firecracker-v1.16.1-aarch64.tgz").contains(AARCH64_ARCHIVE_SHA)
                .doesNotContain("shared/");
    }

    @Test
    void memberSha256NeedsAMemberAndSixtyFourHexDigits() {
        String artifact = """
                version = "1"
                [[artifact]]
                name = "firecracker"
                source = "https://example.invalid/fc.tgz"
                sha256 = "%s"
                %s
                member_sha256 = "%s"
                path = "bin/firecracker"
                """;
        String sum = "ab".repeat(32);

        assertThatThrownBy(() -> BundleSpecLoader.parse(artifact.formatted(sum, "", sum), "t"))
                .isInstanceOf(RuntimeBundleException.class).hasMessageContaining("member_sha256")
                .hasMessageContaining("names no member");
        assertThatThrownBy(() -> BundleSpecLoader.parse(artifact.formatted(sum, "member = \"a/b\"", "abc"), "t"))
                .isInstanceOf(RuntimeBundleException.class).hasMessageContaining("member_sha256")
                .hasMessageContaining("64 hex digits");
        assertThat(BundleSpecLoader.parse(artifact.formatted(sum, "member = \"a/b\"", sum.toUpperCase()), "t")
                .artifact("firecracker").orElseThrow().memberSha256()).isEqualTo(sum);
    }
}
