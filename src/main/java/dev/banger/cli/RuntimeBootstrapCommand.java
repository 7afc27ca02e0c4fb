package dev.banger.cli;

import dev.banger.host.ProcessHostCommands;
import dev.banger.runtime.ArtifactFetcher;
import dev.banger.runtime.BundleLocator;
import dev.banger.runtime.BundleManifest;
import dev.banger.runtime.BundleSpec;
import dev.banger.runtime.BundleSpecLoader;
import dev.banger.runtime.DebianKernelStager;
import dev.banger.runtime.DiscoveryContext;
import dev.banger.runtime.Initramfs;
import dev.banger.runtime.RuntimeArtifacts;
import dev.banger.runtime.RuntimeBootstrap;
import dev.banger.runtime.RuntimeBundleException;
import dev.banger.model.ErrorKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code banger runtime bootstrap}: fetches or stages every artifact of the bundle spec into
 * build/runtime (checkout) or {@code <prefix>/lib/banger} (installed). A missing Firecracker is a
 * warning, not a failure. {@code --offline} opens no connection for the pinned http(s) downloads (the
 * Firecracker release): they come from the download cache or are skipped, so test runs on hosts that
 * cannot reach the release server (CI, {@code make test}) do not try. The kernel is still staged
 * with apt from the host's configured Debian mirror.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Fetch or stage every runtime artifact and write the bundle manifest.")
final class RuntimeBootstrapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--spec", paramLabel = "FILE", description = "Bundle spec (default: config/runtime-bundle.toml).")
    Path specFile;

    @Option(names = "--dir", paramLabel = "DIR", description = "Bundle directory (default: where discovery looks first).")
    Path dir;

    @Option(names = "--firecracker", paramLabel = "PATH", description = "Use this firecracker binary instead of the release download.")
    Path firecracker;

    @Option(names = "--jailer", paramLabel = "PATH", description = "Use this jailer binary instead of the release download.")
    Path jailer;

    @Option(names = "--offline", description = "Open no connection for http(s) artifacts (the Firecracker"
            + " release): take them from the download cache in $BANGER_CACHE_DIR, skip optional ones that are"
            + " not there, fail on required ones.")
    boolean offline;

    record Json(String bundle, List<String> warnings, BundleManifest manifest) {}

    @Override
    public Integer call() {
        DiscoveryContext ctx = DiscoveryContext.fromSystem();
        Path file = Optional.ofNullable(specFile).or(() -> BundleLocator.specFile(ctx)).orElseThrow(() ->
                new RuntimeBundleException(ErrorKind.NOT_FOUND, "no runtime bundle spec found; pass --spec <file>"
                        + " (config/runtime-bundle.toml in the source checkout)"));
        BundleSpec bundleSpec = BundleSpecLoader.load(file);
        if (firecracker != null) {
            bundleSpec = bundleSpec.withLocalFile(RuntimeArtifacts.FIRECRACKER, firecracker);
        }
        if (jailer != null) {
            bundleSpec = bundleSpec.withLocalFile(RuntimeArtifacts.JAILER, jailer);
        }
        Path target = dir != null ? dir : BundleLocator.target(ctx);
        ProcessHostCommands host = new ProcessHostCommands();
        BundleSpec finalSpec = bundleSpec;
        RuntimeBootstrap bootstrap = new RuntimeBootstrap(host,
                offline ? ArtifactFetcher.offline(ctx.cacheDir()) : new ArtifactFetcher(ctx.cacheDir()),
                () -> new DebianKernelStager(host, ctx.cacheDir(), finalSpec.debianKernel(), Initramfs.hostBusybox()),
                ctx.checkoutRoot().map(c -> c.resolve("build/dist/agent/banger-agent")));
        Printer printer = new Printer(spec.commandLine().getOut());
        RuntimeBootstrap.Result result = bootstrap.run(bundleSpec, target, line -> {
            if (!output.json) {
                printer.line(line);
            }
        });
        for (String warning : result.warnings()) {
            spec.commandLine().getErr().println("WARN: " + warning);
        }
        spec.commandLine().getErr().flush();
        if (output.json) {
            printer.json(new Json(result.root().toString(), result.warnings(), result.manifest()));
        } else {
            printer.line("runtime bundle ready at " + result.root() + " (" + result.manifest().artifacts().size()
                    + " artifacts; check with `banger runtime status`)");
        }
        return ExitCodes.OK;
    }
}
