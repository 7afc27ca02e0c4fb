package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageManifestTest {
    private static final String SUM = "sha256:" + "ab".repeat(32);

    private static ImageManifest sample() {
        return new ImageManifest(Distro.DEBIAN, "bookworm", "6.1.0-28-cloud-amd64", Profile.DEV,
                List.of("git", "curl", "build-essential"), SUM, Instant.parse("2026-11-23T10:15:30Z"), "0.1.0-SNAPSHOT", true, true, true, true);
    }

    /** {@link #sample()} as the builders made it before images could take an identity over the agent. */
    private static ImageManifest beforeIdentity() {
        return new ImageManifest(Distro.DEBIAN, "bookworm", "6.1.0-28-cloud-amd64", Profile.DEV,
                List.of("git", "curl", "build-essential"), SUM, Instant.parse("2026-11-23T10:15:30Z"), "0.1.0-SNAPSHOT", true, true);
    }

    @Test
    void jsonRoundTripGivesAnEqualManifest() {
        ImageManifest manifest = sample();

        String json = manifest.toJson();

        assertThat(json).contains("\"distro\" : \"debian\"", "\"profile\" : \"dev\"", "\"builtAt\" : \"2026-11-23T10:15:30Z\"");
        assertThat(ImageManifest.fromJson(json, "manifest.json")).isEqualTo(manifest);
    }

    @Test
    void aManifestFileWrittenBeforeStillReads() {
        // manifest.json exactly as the builders wrote it before stored records got their own mapper.
        String stored = """
                {
                  "distro" : "debian",
                  "release" : "bookworm",
                  "kernelVersion" : "6.1.0-28-cloud-amd64",
                  "profile" : "dev",
                  "packages" : [ "git", "curl", "build-essential" ],
                  "workSeedFingerprint" : "%s",
                  "builtAt" : "2026-11-23T10:15:30Z",
                  "bangerVersion" : "0.1.0-SNAPSHOT",
                  "workDiskGrowsInGuest" : true,
                  "guestConfigDrive" : true
                }""".formatted(SUM);

        ImageManifest read = ImageManifest.fromJson(stored, "manifest.json");

        assertThat(read).isEqualTo(beforeIdentity());
        assertThat(read.identityOverAgent()).isFalse();
        assertThat(read.toJson()).isEqualTo(stored.replace("\"guestConfigDrive\" : true",
                "\"guestConfigDrive\" : true,\n  \"identityOverAgent\" : false,\n  \"mountsFromConfig\" : false"));
    }

    @Test
    void aManifestOfAnImageThatTakesItsIdentityOverTheAgentSaysSoAndReadsBack() {
        String json = sample().toJson();

        assertThat(json).endsWith("\"guestConfigDrive\" : true,\n  \"identityOverAgent\" : true,\n  \"mountsFromConfig\" : true\n}");
        assertThat(ImageManifest.fromJson(json, "manifest.json").identityOverAgent()).isTrue();
        assertThat(ImageManifest.fromJson(json.replace("\"identityOverAgent\" : true", "\"identityOverAgent\" : null"), "manifest.json")
                .identityOverAgent()).isFalse();
    }

    @Test
    void aManifestFromBeforeInGuestGrowingSaysTheHostGrowsTheWorkDisk() {
        String older = beforeIdentity().toJson().replace(",\n  \"identityOverAgent\" : false,\n  \"mountsFromConfig\" : false", "")
                .replace(",\n  \"workDiskGrowsInGuest\" : true", "");
        assertThat(older).doesNotContain("workDiskGrowsInGuest");

        assertThat(ImageManifest.fromJson(older, "manifest.json").workDiskGrowsInGuest()).isFalse();
    }

    @Test
    void aManifestFromBeforeConfigDrivesKeepsItsImageOutOfTheWarmPool() {
        String older = beforeIdentity().toJson().replace(",\n  \"identityOverAgent\" : false,\n  \"mountsFromConfig\" : false", "")
                .replace(",\n  \"guestConfigDrive\" : true", "");
        assertThat(older).doesNotContain("guestConfigDrive");

        assertThat(ImageManifest.fromJson(older, "manifest.json").guestConfigDrive()).isFalse();
        assertThat(sample().guestConfigDrive()).isTrue();
    }

    @Test
    void anImageBuiltBeforeMountsCameFromTheConfigMountsRootFromItsFstab() {
        String older = sample().toJson().replace(",\n  \"mountsFromConfig\" : true", "");
        assertThat(older).doesNotContain("mountsFromConfig").contains("\"identityOverAgent\" : true");

        assertThat(ImageManifest.fromJson(older, "manifest.json").mountsFromConfig()).isFalse();
        assertThat(ImageManifest.fromJson(sample().toJson(), "manifest.json").mountsFromConfig()).isTrue();
    }

    @Test
    void everyProblemIsNamedInOneError() {
        assertThatThrownBy(() -> new ImageManifest(Distro.VOID, " ", "6.1", null, List.of("git", "git"), "md5:00", null, "1", false, false))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("release is missing")
                .hasMessageContaining("profile is missing")
                .hasMessageContaining("'git' twice")
                .hasMessageContaining("workSeedFingerprint is 'md5:00'")
                .hasMessageContaining("builtAt is missing");
    }

    @Test
    void anInvalidValueInJsonIsAnImageErrorNamingTheFile() {
        String json = sample().toJson().replace(SUM, "sha256:nothex");

        assertThatThrownBy(() -> ImageManifest.fromJson(json, "/images/x/manifest.json"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("/images/x/manifest.json")
                .hasMessageContaining("workSeedFingerprint");
    }

    @Test
    void unknownFieldsAndUnknownDistrosAreRejected() {
        String extra = sample().toJson().replaceFirst("\\{", "{\"colour\": \"blue\",");
        String arch = sample().toJson().replace("\"debian\"", "\"arch\"");

        assertThatThrownBy(() -> ImageManifest.fromJson(extra, "m.json")).isInstanceOf(ImageException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> ImageManifest.fromJson(arch, "m.json")).isInstanceOf(ImageException.class).hasMessageContaining("m.json");
        assertThatThrownBy(() -> ImageManifest.fromJson("{", "m.json")).isInstanceOf(ImageException.class);
    }

    @Test
    void theFingerprintOfARealTreeIsAcceptedAsWorkSeedFingerprint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        String sum = TreeFingerprint.of(tmp);

        ImageManifest manifest = new ImageManifest(Distro.VOID, "current", "6.1.0", Profile.MINIMAL, List.of(), sum, Instant.EPOCH, "1.0", false, null);

        assertThat(manifest.workSeedFingerprint()).isEqualTo(sum);
    }
}
