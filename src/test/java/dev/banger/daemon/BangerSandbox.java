package dev.banger.daemon;

import dev.banger.config.BangerPaths;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;

/**
 * A private banger instance for tests: its own state, runtime and cache dirs and config file,
 * and launchers that run the code under test. {@link #close()} stops any daemon it started.
 */
public final class BangerSandbox implements AutoCloseable {
    private final Path root;
    private final BangerPaths paths;
    private final Path binDir;
    private final ProcessHostCommands host = new ProcessHostCommands();
    private final List<Process> started = new CopyOnWriteArrayList<>();

    public BangerSandbox(Path root) throws IOException {
        this.root = root;
        this.paths = new BangerPaths(root.resolve("state"), root.resolve("run"), root.resolve("cache"), root.resolve("config.toml"));
        this.binDir = root.resolve("bin");
        Files.createDirectories(binDir);
        writeLauncher("bangerd", "dev.banger.daemon.DaemonMain");
    }

    public BangerPaths paths() {
        return paths;
    }

    public Map<String, String> env() {
        return Map.of(
                BangerPaths.STATE_DIR_ENV, paths.stateDir().toString(),
                BangerPaths.RUNTIME_DIR_ENV, paths.runtimeDir().toString(),
                BangerPaths.CACHE_DIR_ENV, paths.cacheDir().toString(),
                BangerPaths.CONFIG_ENV, paths.configFile().toString());
    }

    public void writeConfig(String toml) throws IOException {
        Files.writeString(paths.configFile(), toml);
    }

    private void writeLauncher(String name, String mainClass) throws IOException {
        Path launcher = binDir.resolve(name);
        String script = "#!/bin/sh\nexec " + java() + " --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' " + mainClass + " \"$@\"\n";
        Files.writeString(launcher, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs the CLI in a fresh JVM, as a user would, with this sandbox's environment. */
    public CommandResult cli(String... args) {
        List<String> argv = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
                "-Dbanger.bin=" + binDir, "-cp", System.getProperty("java.class.path"), "dev.banger.cli.BangerMain"));
        argv.addAll(List.of(args));
        return host.exec(Command.of(argv).withEnv(env()).withTimeout(Duration.ofSeconds(90)));
    }

    /** Starts bangerd in the foreground as a child of the test; its output goes to {@link #daemonLog()}. */
    public Process startDaemon() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(binDir.resolve("bangerd").toString());
        builder.environment().putAll(env());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog().toFile()));
        Process daemon = builder.start();
        started.add(daemon);
        return daemon;
    }

    /** Where daemons started by {@link #startDaemon()} write their output. */
    public Path daemonLog() {
        return root.resolve("daemon.log");
    }

    /** The pid recorded in the daemon's lock file, if a daemon wrote one. */
    public Optional<Long> lockedPid() {
        try {
            String text = Files.readString(paths.lockFile()).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        lockedPid().flatMap(ProcessHandle::of).ifPresent(BangerSandbox::stop);
        // A daemon still starting when a test failed holds no lock yet, but would outlive the test.
        started.forEach(daemon -> stop(daemon.toHandle()));
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
