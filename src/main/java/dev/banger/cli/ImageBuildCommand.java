package dev.banger.cli;

import dev.banger.model.Operation;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code banger image build}: builds an image in the daemon, showing each stage live with its duration. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Build a guest image (Debian by default) with its /root work seed.")
final class ImageBuildCommand implements Callable<Integer> {
    static final Duration BUILD_DEADLINE = Duration.ofMinutes(60);

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--distro", defaultValue = "debian", description = "Distribution: debian (default) or void.")
    String distro;

    @Option(names = "--name", description = "Image name (default: default, or void-exp with --distro void, so a"
            + " Void build never takes the Debian default's name).")
    String name;

    @Option(names = "--profile", defaultValue = "dev",
            description = "dev (opencode on port 4096, mise) or minimal (the baseline only). Default: ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = "--size", defaultValue = "4G", description = "Size of rootfs.ext4, e.g. 4G (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--release", description = "Distribution release, e.g. bookworm (default: the builder's).")
    String release;

    @Override
    public Integer call() {
        name = nameOrDefault(name, distro);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        params.put("distro", distro);
        params.put("profile", profile);
        params.put("size", size);
        if (release != null) {
            params.put("release", release);
        }
        return follow(spec, output, "image.build.begin", params, "built image '" + name + "'");
    }

    /** The name given, else {@code void-exp} for a Void build (the Debian default's name is not its to take), else {@code default}. */
    static String nameOrDefault(String name, String distro) {
        if (name != null) {
            return name;
        }
        return "void".equals(distro) ? "void-exp" : "default";
    }

    /** Starts an image operation and follows it; shared by build and rebuild-rootfs. */
    static int follow(CommandSpec spec, OutputOptions output, String method, Object params, String done) {
        Printer printer = new Printer(spec.commandLine().getOut());
        try (RpcClient client = DaemonConnector.fromEnvironment().connectOrStart()) {
            Operation started = client.call(method, params, Operation.class, Duration.ofSeconds(30));
            Operation finished = new OperationProgress(client, "image.build.status", output.json ? null : spec.commandLine().getOut())
                    .follow(started, BUILD_DEADLINE);
            if (output.json) {
                printer.json(finished);
            }
            OperationProgress.requireSucceeded(finished);
            if (!output.json) {
                printer.line(done + " in " + Durations.human(Duration.between(finished.startedAt(), finished.endedAt())));
            }
        }
        return ExitCodes.OK;
    }
}
