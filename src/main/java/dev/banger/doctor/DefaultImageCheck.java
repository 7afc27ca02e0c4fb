package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Doctor check {@code default-image}: is there an image for {@code banger vm create} without
 * {@code --image}, are its files there, and does its work seed still match its fingerprint (the
 * same inspection the daemon makes of it at start, which marks a mismatch {@code needs-rebuild}
 * and so stops creates from it). No default image only warns: the first create builds it. Safe for concurrent use when the probe is.
 */
public final class DefaultImageCheck implements Check {
    public static final String NAME = "default-image";

    private final DefaultImageProbe probe;
    private final String stateDir;

    /** @param stateDir where the images live, to say what root is needed for */
    public DefaultImageCheck(DefaultImageProbe probe, Path stateDir) {
        this.probe = probe;
        this.stateDir = stateDir.toString();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> needsRoot() {
        return Optional.of("it reads the image files and the database in " + stateDir + ", which belong to root");
    }

    @Override
    public CheckResult run() {
        DefaultImageState image = probe.inspect();
        String which = "'" + image.name() + "' (" + (image.promoted() ? "promoted" : "[image] default") + ")";
        return switch (image.condition()) {
            case ABSENT -> CheckResult.warn(NAME, "there is no default image '" + image.name() + "' ([image] default) and"
                            + " none is promoted: the first `banger vm create` builds it (several minutes)",
                    "banger image build --name " + image.name() + " now (or `banger image promote NAME` for one you have)");
            case READY -> CheckResult.ok(NAME, which + ": " + image.detail());
            case AWAITING_WORK_SEED -> CheckResult.ok(NAME, which + ": " + image.detail());
            case WORK_SEED_MISSING, WORK_SEED_MISMATCH, FILES_MISSING, UNREADABLE ->
                    CheckResult.fail(NAME, which + ": " + image.detail() + "; VMs cannot be created from it", remake(image));
            case UNKNOWN -> CheckResult.warn(NAME, "cannot tell which image `banger vm create` uses: " + image.detail(),
                    "see the state-dir check, then run `banger doctor` again");
        };
    }

    private static String remake(DefaultImageState image) {
        if (image.rebuildable()) {
            return "banger image rebuild-rootfs " + image.name();
        }
        return "banger did not build '" + image.name() + "', so it cannot rebuild it: register its files again under"
                + " another name (`banger image register`) and `banger image promote` that, or `banger image build`";
    }
}
