package dev.banger.daemon;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.config.ConfigException;
import dev.banger.config.ConfigLoader;
import dev.banger.config.LoadedConfig;
import dev.banger.doctor.Check;
import dev.banger.doctor.ConfigCheck;
import dev.banger.doctor.DefaultImageCheck;
import dev.banger.doctor.DefaultImageProbe;
import dev.banger.doctor.Doctor;
import dev.banger.doctor.DoctorContext;
import dev.banger.doctor.RuntimeBundleCheck;
import dev.banger.host.HostCommands;
import dev.banger.model.DoctorReport;
import dev.banger.model.Image;
import dev.banger.runtime.DiscoveryContext;
import dev.banger.runtime.RuntimeArtifacts;
import dev.banger.runtime.RuntimeBundle;
import dev.banger.store.ReadOnlyImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The doctor that {@code doctor.run} runs, put together in one place so that {@code banger doctor}
 * with no daemon to ask runs exactly the same checks, in the same order, in its own process:
 * {@code config}, the standard host checks, {@code runtime-bundle}, {@code default-image}. Both
 * load the config and find their paths the same way ({@link ConfigLoader}, {@link BangerPaths});
 * only where the default image's record comes from differs (the daemon's store, or the database
 * opened read-only). Stateless.
 */
public final class DoctorSetup {
    private DoctorSetup() {}

    /** Every check of a doctor run, in report order: the one list the daemon and the CLI share. */
    static Doctor doctor(DoctorContext ctx, ConfigCheck config, DefaultImageProbe defaultImage) {
        List<Check> checks = new ArrayList<>();
        checks.add(config);
        checks.addAll(Doctor.standardChecks(ctx));
        checks.add(RuntimeBundleCheck.forConfig(ctx.config()));
        checks.add(new DefaultImageCheck(defaultImage, ctx.paths().stateDir()));
        checks.addAll(ctx.extraChecks());
        return new Doctor(checks);
    }

    /** What the checks look at: this host, {@code paths}, {@code config}, and the configured runtime bundle's guest kernel. */
    static DoctorContext context(HostCommands host, BangerPaths paths, BangerConfig config) {
        return new DoctorContext(host, paths, config, () -> bundleKernel(config));
    }

    /** The outcome of loading the config at start, as the {@code config} check reports it. */
    static ConfigCheck configCheck(BangerPaths paths, LoadedConfig loaded) {
        return ConfigCheck.loaded(paths.configFile(), Files.exists(paths.configFile()), loaded);
    }

    /** The default image as the daemon sees it: {@code defaultRow} from its store, inspected like its start-up reconcile. */
    static DefaultImageProbe defaultImage(Supplier<Optional<Image>> defaultRow, HostCommands host, BangerPaths paths,
                                          BangerConfig config) {
        return new DefaultImageInspection(defaultRow, config.image().defaultImage(), host, paths.stateDir().resolve("tmp"));
    }

    /**
     * {@code banger doctor} when no daemon answers: the daemon's checks, run in this process. As
     * root all of them run; as another user those that {@linkplain Check#needsRoot() need root}
     * are reported as not run. A config that does not load is the {@code config} check's failure,
     * and the other checks then use the built-in defaults. The database is only ever read, never
     * created or changed.
     */
    public static DoctorReport runWithoutDaemon(BangerPaths paths, HostCommands host, boolean root) {
        Path file = paths.configFile();
        BangerConfig config;
        ConfigCheck configCheck;
        try {
            LoadedConfig loaded = ConfigLoader.load(file);
            config = loaded.config();
            configCheck = ConfigCheck.loaded(file, Files.exists(file), loaded);
        } catch (ConfigException e) {
            config = BangerConfig.defaults();
            configCheck = !root && Files.exists(file) && !Files.isReadable(file)
                    ? ConfigCheck.unreadableByUser(file, e.getMessage())
                    : ConfigCheck.failed(file, e.getMessage());
        }
        String defaultName = config.image().defaultImage();
        DefaultImageProbe image = defaultImage(() -> ReadOnlyImages.findDefault(paths.database(), defaultName), host, paths, config);
        return doctor(context(host, paths, config), configCheck, image).runnableBy(root).run();
    }

    /**
     * The guest kernel the KVM check boots: the bzImage of the runtime bundle the daemon uses
     * ({@code [runtime] bundle}, else the one discovery finds), when there is one.
     */
    static Optional<Path> bundleKernel(BangerConfig config) {
        try {
            return RuntimeBundle.locate(DiscoveryContext.fromSystem().withConfiguredBundle(config.runtime().bundle()))
                    .find(RuntimeArtifacts.KERNEL_BZIMAGE);
        } catch (RuntimeException noUsableBundle) {
            return Optional.empty();
        }
    }
}
