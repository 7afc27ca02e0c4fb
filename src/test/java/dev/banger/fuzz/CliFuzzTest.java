package dev.banger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.rpc.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile {@code banger vm} and {@code banger image} argument vectors (traversal, shell
 * metacharacters, control characters, unicode, negative and enormous sizes, unknown options),
 * run in-process by {@link CliFuzzDriver} in a JVM with a sandbox's environment. VM commands
 * validate names and sizes locally, so they must exit 2 (usage) without contacting any daemon;
 * image commands leave name checks to bangerd, so they run against a real one and must exit 2
 * with its message, and nothing may be created.
 */
@Tag("root")
class CliFuzzTest {
    private static final List<String> NAMES = List.of("../../etc/passwd", "/etc/passwd", "a/b", "..", ".", "a;reboot",
            "$(touch /tmp/banger-fz-pwned)", "`id`", "a|id", "a\nb", "a\u0000b", "a b", "Dev1", "dév", "😀", "\u202Eevil",
            "a'b", "a\"b", "a\\b", "a*", "~root", "a>b", "a".repeat(64), "x".repeat(5000), "-rf", "_a", ".hidden", "");
    private static final List<String> COUNTS = List.of("-1", "0", "-2147483648", "2147483648", "99999999999999999999",
            "1e3", "1.5", "abc", "0x10", "1;reboot", "$(id)", "", " 1", "1 ", "+-1");
    private static final List<String> VM_ONE_NAME = List.of("show", "start", "stop", "restart", "stats", "health", "logs", "ssh");

    @TempDir
    Path dir;

    private final ProcessHostCommands host = new ProcessHostCommands();

    @Test
    void hostileVmArgumentsAreUsageErrorsThatNeverReachADaemon() throws Exception {
        long seed = RpcFuzzer.seed("CliFuzzTest.vm");
        SplittableRandom random = new SplittableRandom(seed);
        List<List<String>> vectors = new ArrayList<>();
        for (int k = 0; k < 600; k++) {
            vectors.add(vmVector(random));
        }
        // No daemon and no bangerd to start: contacting one would exit 7 (daemon unavailable), not 2.
        Map<String, String> env = Map.of("BANGER_STATE_DIR", dir.resolve("state").toString(),
                "BANGER_RUNTIME_DIR", dir.resolve("run").toString(), "BANGER_CACHE_DIR", dir.resolve("cache").toString(),
                "BANGER_CONFIG", dir.resolve("config.toml").toString());
        List<JsonNode> outcomes = run(vectors, env);

        List<String> problems = problems(outcomes);
        assertThat(problems).as("replay with -Dbanger.fuzz.seed=%d", seed).isEmpty();
        assertThat(dir.resolve("state")).as("no daemon was started").doesNotExist();
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void hostileImageArgumentsAreRefusedByTheDaemonAndCreateNothing() throws Exception {
        long seed = RpcFuzzer.seed("CliFuzzTest.image");
        SplittableRandom random = new SplittableRandom(seed);
        List<List<String>> vectors = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            vectors.add(imageVector(random));
        }
        try (NamespacedDaemon daemon = new NamespacedDaemon(dir.resolve("sandbox"), "")) {
            daemon.start();
            java.util.SortedSet<String> before = daemon.files();
            List<String> linksBefore = daemon.links();

            List<JsonNode> outcomes = run(vectors, daemon.env());

            assertThat(problems(outcomes)).as("replay with -Dbanger.fuzz.seed=%d", seed).isEmpty();
            assertThat(daemon.process().isAlive()).isTrue();
            assertThat(daemon.call("image.list", JsonNode.class).path("images")).isEmpty();
            assertThat(daemon.files()).isEqualTo(before);
            assertThat(daemon.links()).isEqualTo(linksBefore);
        }
    }

    /** Every outcome must be exit 2 (usage or invalid argument) with a specific message. */
    private static List<String> problems(List<JsonNode> outcomes) {
        List<String> problems = new ArrayList<>();
        for (JsonNode outcome : outcomes) {
            int exit = outcome.get("exit").intValue();
            String err = outcome.get("err").textValue();
            // A clear message: one specific first line, never an unexpected-error report.
            String first = err.lines().findFirst().orElse("");
            boolean clear = !first.isBlank() && !err.contains("unexpected error") && !err.contains("Exception");
            if (exit != 2 || !clear) {
                problems.add(outcome.get("args") + " → exit " + exit + ", stderr: " + abbreviate(err));
            }
            if (problems.size() >= 10) {
                break;
            }
        }
        return problems;
    }

    private List<JsonNode> run(List<List<String>> vectors, Map<String, String> env) throws Exception {
        Path in = dir.resolve("vectors-" + System.nanoTime() + ".json");
        Path out = dir.resolve("outcomes-" + System.nanoTime() + ".json");
        Json.mapper().writeValue(in.toFile(), vectors);
        String java = ProcessHandle.current().info().command().orElse("java");
        CommandResult result = host.exec(Command.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dbanger.bin=" + dir.resolve("no-such-bin"), "-cp", System.getProperty("java.class.path"),
                CliFuzzDriver.class.getName(), in.toString(), out.toString()).withEnv(env).withTimeout(Duration.ofMinutes(5)));
        assertThat(result.exitCode()).as("driver: %s", result.stderr()).isZero();
        List<JsonNode> outcomes = Json.mapper().readValue(Files.readString(out), new TypeReference<>() {});
        assertThat(outcomes).hasSameSizeAs(vectors);
        return outcomes;
    }

    private static List<String> vmVector(SplittableRandom random) {
        List<String> args = new ArrayList<>(List.of("vm"));
        switch (random.nextInt(6)) {
            case 0 -> {
                args.add("create");
                if (random.nextBoolean()) {
                    args.add(pick(random, NAMES));
                    addSizes(random, args, false);
                } else {
                    addSizes(random, args, true);
                }
            }
            case 1 -> {
                args.add("edit");
                if (random.nextBoolean()) {
                    args.add(pick(random, NAMES));
                    addSizes(random, args, false);
                } else {
                    args.add("dev1");
                    addSizes(random, args, true);
                }
            }
            case 2 -> {
                args.add("delete");
                args.add("dev1");
                args.add(pick(random, NAMES));
            }
            case 3 -> {
                args.add(pick(random, VM_ONE_NAME));
                if (random.nextInt(4) == 0) {
                    args.add("--");
                }
                args.add(pick(random, NAMES));
            }
            case 4 -> {
                args.add(pick(random, VM_ONE_NAME));
                args.add(pick(random, List.of("--rm", "--name=../x", "--vcpus", "-x", "--json=$(id)", "--image")));
                args.add("dev1");
            }
            default -> args.add(pick(random, List.of("nonexistent", "create --vcpus", "../list", "")));
        }
        return args;
    }

    /** Adds size options; when {@code poisoned}, at least one of them is invalid. */
    private static void addSizes(SplittableRandom random, List<String> args, boolean poisoned) {
        List<String> options = List.of("--vcpus", "--memory", "--disk");
        String bad = pick(random, options);
        for (String option : options) {
            if (option.equals(bad) && poisoned) {
                String value = pick(random, COUNTS);
                if (random.nextBoolean()) {
                    args.add(option + "=" + value);
                } else {
                    args.add(option);
                    args.add(value);
                }
            } else if (random.nextBoolean()) {
                args.add(option);
                args.add("2");
            }
        }
        if (random.nextInt(5) == 0) {
            args.add("--image");
            args.add(pick(random, NAMES));
        }
    }

    private static List<String> imageVector(SplittableRandom random) {
        String name = pick(random, NAMES);
        return switch (random.nextInt(7)) {
            case 0 -> List.of("image", "build", "--name", name);
            case 1 -> switch (random.nextInt(3)) {
                case 0 -> List.of("image", "build", "--name", "fz-ok", "--size",
                        pick(random, List.of("-1G", "0", "999999T", "1P", "1e9", "10M", "$(id)G", "", "4G;id")));
                case 1 -> List.of("image", "build", "--name", "fz-ok", "--release",
                        pick(random, List.of("../../etc", "$(id)", "bookworm;id", "", "`id`", "Bookworm", "a".repeat(40))));
                default -> List.of("image", "build", "--name", "fz-ok", pick(random, List.of("--distro", "--profile")),
                        pick(random, List.of("ubuntu", "../debian", "", "dev;id", "$(id)")));
            };
            case 2 -> List.of("image", "register", "--name", name, "--kernel", "/boot/vmlinuz", "--rootfs", "/dev/sda");
            case 3 -> List.of("image", "register", "--name", "fz-ok", "--kernel", pick(random, List.of("/etc/passwd", "../../etc/shadow",
                    "/dev/zero", "/proc/self/environ", "/", "$(id)")), "--rootfs", pick(random, List.of("/etc/hostname", "/dev/sda", "/")));
            case 4 -> List.of("image", pick(random, List.of("promote", "show", "delete", "rebuild-rootfs", "verify")), name);
            case 5 -> List.of("image", "build", "--name", name, "--size", pick(random, COUNTS));
            default -> List.of("image", pick(random, List.of("build", "register", "list")), "--bogus", name);
        };
    }

    private static <T> T pick(SplittableRandom random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
