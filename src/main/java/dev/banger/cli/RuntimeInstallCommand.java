package dev.banger.cli;

import dev.banger.host.ProcessHostCommands;
import dev.banger.runtime.BundleInstaller;
import dev.banger.runtime.BundleLocator;
import dev.banger.runtime.BundleManifest;
import dev.banger.runtime.DiscoveryContext;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code banger runtime install --from <tarball>}: verifies every sum, then installs; a bad tarball changes nothing. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install a runtime bundle tarball after verifying every artifact.")
final class RuntimeInstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--from", required = true, paramLabel = "TARBALL", description = "banger-runtime-<version>.tar.gz")
    Path from;

    @Option(names = "--dir", paramLabel = "DIR", description = "Bundle directory (default: where discovery looks first).")
    Path dir;

    record Json(String bundle, BundleManifest manifest) {}

    @Override
    public Integer call() {
        DiscoveryContext ctx = DiscoveryContext.fromSystem();
        Path target = dir != null ? dir : BundleLocator.target(ctx);
        BundleManifest manifest = new BundleInstaller(new ProcessHostCommands()).install(from, target);
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(new Json(target.toAbsolutePath().normalize().toString(), manifest));
        } else {
            printer.line("installed runtime bundle " + manifest.bundleVersion() + " (" + manifest.artifacts().size()
                    + " artifacts) into " + target.toAbsolutePath().normalize());
        }
        return ExitCodes.OK;
    }
}
