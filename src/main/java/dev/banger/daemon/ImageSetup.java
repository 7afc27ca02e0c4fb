package dev.banger.daemon;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.host.HostCommands;
import dev.banger.image.AptSources;
import dev.banger.image.BuilderInputs;
import dev.banger.image.DebianImageBuilder;
import dev.banger.image.ImageCatalog;
import dev.banger.image.VoidImageBuilder;
import dev.banger.image.VoidRepository;
import dev.banger.image.XbpsTool;
import dev.banger.model.BangerVersion;
import dev.banger.model.ErrorKind;
import dev.banger.runtime.RuntimeArtifacts;
import dev.banger.runtime.RuntimeBundle;
import dev.banger.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Builds the daemon's {@link ImageCatalog} from config, paths and the runtime bundle. The bundle is
 * looked up when a build starts, not when the daemon does, so {@code banger runtime bootstrap}
 * after start-up is enough. Stateless.
 */
final class ImageSetup {
    private ImageSetup() {}

    static ImageCatalog catalog(BangerPaths paths, BangerConfig config, HostCommands host, Store store, Clock clock) {
        DebianImageBuilder debian = new DebianImageBuilder(host, () -> inputs(paths, config),
                release -> config.image().debianMirror().orElseGet(() -> AptSources.mirrorFor(Path.of("/etc/apt"), release)),
                clock);
        VoidImageBuilder voidLinux = new VoidImageBuilder(host, () -> inputs(paths, config),
                () -> VoidRepository.choose(config.image().voidRepository(), VoidRepository.XBPS_CONFIG_DIRS),
                () -> XbpsTool.locate(config.image().xbpsInstall(), System.getenv("PATH")),
                clock);
        return new ImageCatalog(paths.stateDir(), store.images(), host, List.of(debian, voidLinux), clock);
    }

    static BuilderInputs inputs(BangerPaths paths, BangerConfig config) {
        RuntimeBundle bundle = config.runtime().bundle().map(RuntimeBundle::at).orElseGet(RuntimeBundle::locate);
        Path agent = config.agent().path().orElseGet(() -> bundle.require(RuntimeArtifacts.AGENT));
        Path publicKey = bundle.require(RuntimeArtifacts.SSH_PUBLIC_KEY);
        try {
            return new BuilderInputs(agent, Files.readString(publicKey), config.agent().port(),
                    config.image().opencodeVersion(), config.image().miseVersion(), paths.cacheDir(), BangerVersion.get());
        } catch (IOException e) {
            throw new DaemonException(ErrorKind.PRECONDITION_FAILED, "cannot read the runtime bundle's SSH public key "
                    + publicKey + ": " + e.getMessage(), e);
        }
    }
}
