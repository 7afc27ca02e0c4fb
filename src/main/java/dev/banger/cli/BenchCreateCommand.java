package dev.banger.cli;

import dev.banger.bench.BenchReport;
import dev.banger.host.ProcessHostCommands;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code banger bench create}: the create wall-time benchmark (see {@link CreateBenchmark}). The
 * targets live here, in the report, not in timed unit tests; missing one is reported, not an error.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create VMs, run one command in each over SSH, delete them; report p50/p95/max per stage,",
            "the host-side overhead (request → VMM started), and the targets."})
final class BenchCreateCommand implements Callable<Integer> {
    /** Far more would only measure how many guests two cores can emulate at once. */
    static final int MAX_PARALLEL = 32;
    static final int CLI_RUNS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs per path (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Image to create from (default: the default image).")
    String image;

    @Option(names = "--parallel", paramLabel = "P", defaultValue = "1",
            description = "Creates per run, all at once (default: ${DEFAULT-VALUE}); above 1, one create alone is measured last as the baseline.")
    int parallel;

    @Option(names = "--compare-slow-path",
            description = "Also measure the slow path (fresh TAP, /root built from the rootfs, full root disk copy), alternating with the fast one.")
    boolean compareSlowPath;

    @Option(names = "--compare-cold",
            description = {"Also measure creates that boot the kernel (cold: true), alternating with ones that restore the",
                "shape's snapshot, made first; where the daemon cannot snapshot, only cold boots are measured."})
    boolean compareCold;

    @Option(names = "--vcpus", paramLabel = "N", description = "Guest vCPUs (default: from the config).")
    Integer vcpus;

    @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory in MiB (default: from the config).")
    Integer memoryMib;

    @Option(names = "--disk", paramLabel = "GiB", description = "Work disk size in GiB (default: from the config).")
    Integer diskGib;

    @Option(names = "--json", description = "Print the report as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() {
        if (runs < 1 || runs > 1000) {
            throw new ParameterException(spec.commandLine(), "--runs must be 1 to 1000, got " + runs);
        }
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new ParameterException(spec.commandLine(), "--parallel must be 1 to " + MAX_PARALLEL + ", got " + parallel);
        }
        if (image != null && !dev.banger.model.Image.isValidName(image)) {
            throw new ParameterException(spec.commandLine(), "'" + image + "' is not a valid image name");
        }
        VmView.requirePositive(spec, "--vcpus", vcpus);
        VmView.requirePositive(spec, "--memory", memoryMib);
        VmView.requirePositive(spec, "--disk", diskGib);
        PrintWriter out = spec.commandLine().getOut();
        CreateBenchmark benchmark = new CreateBenchmark(DaemonCall::fromEnvironment, new ProcessHostCommands(),
                SshKeyFiles.directory(System.getenv()), launcher(), out);
        BenchReport report = benchmark.run(new CreateBenchmark.Settings(image, runs, parallel, compareSlowPath, compareCold, vcpus,
                memoryMib, diskGib, CLI_RUNS));
        out.print(report.text());
        if (json) {
            new Printer(out).json(report.json());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The launcher this CLI runs from ({@code -Dbanger.bin}, set by it), to time {@code banger vm list} processes. */
    private static Optional<Path> launcher() {
        return Optional.ofNullable(System.getProperty("banger.bin")).map(dir -> Path.of(dir, "banger")).filter(Files::isExecutable);
    }
}
