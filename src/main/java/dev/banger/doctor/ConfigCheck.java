package dev.banger.doctor;

import dev.banger.config.BangerPaths;
import dev.banger.config.LoadedConfig;
import dev.banger.model.CheckResult;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Doctor check {@code config}: whether the config file loads, the first thing bangerd does and the
 * most common reason it will not start. A file that does not load fails, quoting the loader's
 * message (which names the key); unknown or deprecated keys warn; no file means the built-in
 * defaults. The outcome of loading is handed in, since whoever runs the doctor has already tried
 * to load the file for the other checks. Immutable.
 */
public final class ConfigCheck implements Check {
    public static final String NAME = "config";

    private final Path file;
    private final boolean present;
    private final Optional<LoadedConfig> loaded;
    private final String error;
    private final boolean unreadableByUser;

    private ConfigCheck(Path file, boolean present, Optional<LoadedConfig> loaded, String error, boolean unreadableByUser) {
        this.file = file;
        this.present = present;
        this.loaded = loaded;
        this.error = error;
        this.unreadableByUser = unreadableByUser;
    }

    /** {@code file} loaded (or, when {@code present} is false, did not exist and the defaults apply). */
    public static ConfigCheck loaded(Path file, boolean present, LoadedConfig loaded) {
        return new ConfigCheck(file, present, Optional.of(loaded), "", false);
    }

    /** {@code file} did not load: {@code error} is the loader's message. */
    public static ConfigCheck failed(Path file, String error) {
        return new ConfigCheck(file, true, Optional.empty(), error, false);
    }

    /**
     * {@code file} could not be read by this process's user (it is root's, like bangerd): not a
     * fault of the file, so a doctor run by that user reports the check as needing root.
     */
    public static ConfigCheck unreadableByUser(Path file, String error) {
        return new ConfigCheck(file, true, Optional.empty(), error, true);
    }

    @Override
    public Optional<String> needsRoot() {
        return unreadableByUser ? Optional.of("this user cannot read " + file + ", which bangerd reads as root")
                : Optional.empty();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run() {
        if (loaded.isEmpty()) {
            return CheckResult.fail(NAME, error + "; bangerd does not start with this config (the other checks here used"
                    + " the built-in defaults)", "fix " + file + ", or point " + BangerPaths.CONFIG_ENV + " at another file");
        }
        if (!present) {
            return CheckResult.ok(NAME, "no config file at " + file + ": the built-in defaults apply");
        }
        var warnings = loaded.get().warnings();
        if (!warnings.isEmpty()) {
            return CheckResult.warn(NAME, file + " loads, with " + warnings.size() + " warning"
                    + (warnings.size() == 1 ? "" : "s") + ": " + String.join("; ", warnings),
                    "fix or remove those keys in " + file);
        }
        return CheckResult.ok(NAME, file + " loads");
    }
}
