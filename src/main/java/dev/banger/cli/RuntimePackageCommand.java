package dev.banger.cli;

import dev.banger.host.ProcessHostCommands;
import dev.banger.runtime.BundlePackager;
import dev.banger.runtime.DiscoveryContext;
import dev.banger.runtime.RuntimeBundle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code banger runtime package}: the located bundle as {@code build/dist/banger-runtime-<version>.tar.gz}. */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Pack the runtime bundle into banger-runtime-<version>.tar.gz.")
final class RuntimePackageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Where to write it (default: build/dist in a checkout, else the current directory).")
    Path outDir;

    @Override
    public Integer call() {
        DiscoveryContext ctx = DiscoveryContext.fromSystem();
        RuntimeBundle bundle = RuntimeBundle.locate(ctx);
        Path out = outDir != null ? outDir : ctx.checkoutRoot().map(c -> c.resolve("build/dist")).orElse(ctx.cwd());
        BundlePackager.Packaged packaged = new BundlePackager(new ProcessHostCommands()).pack(bundle.root(), out);
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(packaged);
        } else {
            printer.fields(java.util.List.of(
                    new String[] {"tarball", packaged.tarball().toString()},
                    new String[] {"sha256", packaged.sha256()},
                    new String[] {"manifest", packaged.manifest().toString()}));
        }
        return ExitCodes.OK;
    }
}
