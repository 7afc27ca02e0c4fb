package dev.banger.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.banger.model.BangerException;
import dev.banger.model.Image;
import dev.banger.store.StoredJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an image builder records next to {@code rootfs.ext4} as {@code manifest.json}: the distro,
 * release, kernel version, profile, installed packages, the work seed's {@link TreeFingerprint},
 * build time and the banger version that built it. Every field is required and checked on
 * construction, also when read from JSON. Immutable value.
 *
 * @param distro              the builder's distribution
 * @param release             distro release, e.g. {@code bookworm} (Void is rolling: {@code current})
 * @param kernelVersion       guest kernel version, e.g. {@code 6.1.0-28-cloud-amd64}
 * @param profile             what the image is for
 * @param packages            package names installed from the baseline, in list order, no duplicates
 * @param workSeedFingerprint {@code sha256:<64 hex>} of the prepared {@code /root}
 * @param builtAt             when the build finished
 * @param bangerVersion       version of the banger that built it
 * @param workDiskGrowsInGuest whether the guest grows its work file system to the disk's size at
 *                            boot, so the host need not (absent in older manifests: false)
 * @param guestConfigDrive    whether the guest reads its settings from a config drive too
 *                            ({@code guestconfig.ConfigDrive}), so a machine started before its VM
 *                            was known can become it (absent in older manifests: false)
 * @param identityOverAgent   whether a guest restored from a snapshot of this image can be made
 *                            into its VM: the agent takes an identity and runs
 *                            {@link IdentityApplyScript}, and the SSH host key comes from the config
 *                            drive ({@link HostKeysScript}); only such images are snapshotted and
 *                            restored (absent in older manifests: false)
 * @param mountsFromConfig    whether the guest mounts its file systems, the work disk on {@code /root}
 *                            included, from the {@code banger.mount=} words of its kernel command line
 *                            and config drive ({@link MountsScript}) rather than from a {@code /root}
 *                            line in its fstab, so the daemon must send the work disk's mount (absent
 *                            in older manifests: false; their fstab mounts {@code /root})
 */
public record ImageManifest(
        Distro distro,
        String release,
        String kernelVersion,
        Profile profile,
        List<String> packages,
        String workSeedFingerprint,
        Instant builtAt,
        String bangerVersion,
        Boolean workDiskGrowsInGuest,
        Boolean guestConfigDrive,
        Boolean identityOverAgent,
        Boolean mountsFromConfig) {
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*");
    private static final Pattern FINGERPRINT = Pattern.compile(Pattern.quote(TreeFingerprint.PREFIX) + "[0-9a-f]{64}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]*");

    public ImageManifest {
        List<String> problems = new ArrayList<>();
        if (distro == null) {
            problems.add("distro is missing");
        }
        if (profile == null) {
            problems.add("profile is missing");
        }
        checkWord("release", release, problems);
        checkWord("kernelVersion", kernelVersion, problems);
        checkWord("bangerVersion", bangerVersion, problems);
        if (packages == null) {
            problems.add("packages is missing");
        } else {
            Set<String> seen = new HashSet<>();
            for (String name : packages) {
                if (name == null || !PACKAGE.matcher(name).matches()) {
                    problems.add("packages has '" + name + "', not a package name");
                } else if (!seen.add(name)) {
                    problems.add("packages lists '" + name + "' twice");
                }
            }
        }
        if (workSeedFingerprint == null || !FINGERPRINT.matcher(workSeedFingerprint).matches()) {
            problems.add("workSeedFingerprint is '" + workSeedFingerprint + "', expected sha256:<64 lower-case hex digits>");
        }
        if (builtAt == null) {
            problems.add("builtAt is missing");
        }
        if (!problems.isEmpty()) {
            throw ImageException.invalid("invalid image manifest: " + String.join("; ", problems)
                    + "; rebuild the image or fix manifest.json");
        }
        packages = List.copyOf(packages);
        workDiskGrowsInGuest = Boolean.TRUE.equals(workDiskGrowsInGuest);
        guestConfigDrive = Boolean.TRUE.equals(guestConfigDrive);
        identityOverAgent = Boolean.TRUE.equals(identityOverAgent);
        mountsFromConfig = Boolean.TRUE.equals(mountsFromConfig);
    }

    /** A manifest of an image whose fstab mounts {@code /root}, as images built before {@link MountsScript} had. */
    public ImageManifest(Distro distro, String release, String kernelVersion, Profile profile, List<String> packages,
            String workSeedFingerprint, Instant builtAt, String bangerVersion, Boolean workDiskGrowsInGuest, Boolean guestConfigDrive,
            Boolean identityOverAgent) {
        this(distro, release, kernelVersion, profile, packages, workSeedFingerprint, builtAt, bangerVersion, workDiskGrowsInGuest,
                guestConfigDrive, identityOverAgent, false);
    }

    /** A manifest of an image that cannot take an identity over its agent, as images built before it could. */
    public ImageManifest(Distro distro, String release, String kernelVersion, Profile profile, List<String> packages,
            String workSeedFingerprint, Instant builtAt, String bangerVersion, Boolean workDiskGrowsInGuest, Boolean guestConfigDrive) {
        this(distro, release, kernelVersion, profile, packages, workSeedFingerprint, builtAt, bangerVersion, workDiskGrowsInGuest,
                guestConfigDrive, false, false);
    }

    private static void checkWord(String field, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        } else if (!WORD.matcher(value).matches()) {
            problems.add(field + " is '" + value + "', expected letters, digits and . _ + ~ -");
        }
    }

    /** Pretty-printed JSON, the form written to {@code manifest.json}. */
    public String toJson() {
        try {
            return StoredJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw ImageException.io("cannot write image manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a manifest; {@code source} names the file in errors.
     *
     * @throws ImageException for malformed JSON, unknown fields or any invalid value
     */
    /** The manifest of {@code image}, or empty for an image banger did not build (registered, or older). */
    public static Optional<ImageManifest> of(Image image) {
        try {
            return Optional.of(fromJson(image.manifestJson(), "manifest"));
        } catch (BangerException notBuiltByBanger) {
            return Optional.empty();
        }
    }

    public static ImageManifest fromJson(String json, String source) {
        try {
            return StoredJson.mapper().readValue(json, ImageManifest.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ImageException invalid) {
                throw ImageException.invalid(source + ": " + invalid.getMessage());
            }
            throw ImageException.invalid(source + ": invalid image manifest: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ImageException.invalid(source + ": invalid image manifest: " + e.getOriginalMessage());
        }
    }
}
