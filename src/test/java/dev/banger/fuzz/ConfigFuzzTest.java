package dev.banger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.banger.config.ConfigException;
import dev.banger.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded hostile config files for {@link ConfigLoader}: wrong types, unknown and legacy keys,
 * huge and negative numbers, traversal and shell metacharacters in paths and names, broken TOML,
 * random bytes. Whatever the text, the loader either accepts it or throws a {@link ConfigException}
 * naming the file (and, for a bad value in valid TOML, the key); never another exception.
 */
class ConfigFuzzTest {
    private static final String SOURCE = "/etc/banger/fuzz.toml";
    private static final List<String> KEYS = List.of("vmm", "log_level", "daemon.group", "network.bridge", "network.subnet",
            "network.domain", "network.tap_pool_size", "network.nat", "vm.vcpus", "vm.memory", "vm.disk", "agent.path",
            "agent.port", "image.default", "image.debian_mirror", "image.void_repository", "image.opencode_version",
            "image.mise_version", "firecracker.binary", "firecracker.jailer", "qemu.binary", "runtime.bundle",
            "ping_helper.path", "ping_helper_port", "unknown.key", "network.unknown", "daemon");
    private static final List<String> VALUES = List.of("\"../../../etc/shadow\"", "\"/etc/passwd\"", "\"$(reboot)\"",
            "\"`id`\"", "\"a;rm -rf /\"", "\"a\\u0000b\"", "\"\"", "\" \"", "\"é😀\"", "\"" + "x".repeat(70_000) + "\"",
            "\"10.0.0.0/33\"", "\"300.1.1.1/24\"", "\"0.0.0.0/0\"", "\"-1G\"", "\"0\"", "\"99999999T\"", "\"1P\"", "\"NaN\"",
            "-1", "0", "1", "2147483648", "9223372036854775807", "-9223372036854775808", "99999999999999999999999",
            "1e999", "-0.0", "nan", "inf", "-inf", "0x7fffffff", "0o777", "0b1", "true", "false", "[]", "[1, \"a\"]",
            "{}", "{ a = 1 }", "1979-05-27T07:32:00Z", "'''multi\nline'''", "\"\"\"a\nb\"\"\"", "\"firecracker\"",
            "\"qemu\"", "\"auto\"", "\"off\"", "\"debug\"", "\"banger0\"", "\"eth0; id\"", "\"" + "b".repeat(16) + "\"",
            "\"http://[::1]:99999/\"", "\"file:///etc/passwd\"", "\"relative/qemu\"");
    private static final List<String> BROKEN = List.of("[network", "key = ", "= 1", "[[vm]]\n[vm]", "a = 1\na = 2",
            "[vm]\n[vm]", "\"unterminated", "a.b = 1\na = 2", "[daemon]\ngroup = \"x\"\ngroup = \"y\"", "\u0000",
            "\uFEFF[vm]", "[ vm . vcpus ]", "vm = 1\n[vm]", "a = \"\\q\"", "key = 'x'\n'", "[]", "[.]", "a=1 b=2");

    @TempDir
    Path dir;

    @Test
    void threeThousandHostileConfigsAreAcceptedOrRefusedWithAConfigExceptionNamingFileAndKey() {
        long seed = RpcFuzzer.seed("ConfigFuzzTest");
        SplittableRandom random = new SplittableRandom(seed);
        List<String> problems = new ArrayList<>();
        int refused = 0;
        for (int k = 0; k < 3_000 && problems.size() < 10; k++) {
            Document doc = document(random);
            Throwable thrown = catchThrowable(() -> ConfigLoader.parse(doc.text(), SOURCE));
            if (thrown == null) {
                continue;
            }
            refused++;
            String where = "seed " + seed + " document #" + k + ":\n" + abbreviate(doc.text()) + "\n→ ";
            if (!(thrown instanceof ConfigException)) {
                problems.add(where + thrown);
            } else if (thrown.getMessage() == null || !thrown.getMessage().contains(SOURCE)) {
                problems.add(where + "message does not name the file: " + thrown.getMessage());
            } else if (doc.key() != null && !thrown.getMessage().contains("not valid TOML")
                    && !thrown.getMessage().contains(doc.key().substring(doc.key().lastIndexOf('.') + 1))) {
                problems.add(where + "message does not name the key " + doc.key() + ": " + thrown.getMessage());
            }
        }
        assertThat(problems).as("replay with -Dbanger.fuzz.seed=%d", seed).isEmpty();
        assertThat(refused).as("most hostile configs are refused").isGreaterThan(1_000);
    }

    @Test
    void unreadableConfigPathsAreConfigExceptionsNamingThePath() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("config.toml"));
        Throwable thrown = catchThrowable(() -> ConfigLoader.load(directory));
        assertThat(thrown).isInstanceOf(ConfigException.class).hasMessageContaining(directory.toString());

        Path binary = dir.resolve("binary.toml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0, '[', 'v', 'm', ']'});
        assertThat(catchThrowable(() -> ConfigLoader.load(binary))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(binary.toString());
    }

    /** A config text; {@code key} is set when it is one valid-TOML assignment, so a refusal must name it. */
    private record Document(String text, String key) {}

    private static Document document(SplittableRandom random) {
        switch (random.nextInt(10)) {
            case 0 -> {
                StringBuilder text = new StringBuilder();
                int length = 1 + random.nextInt(300);
                for (int k = 0; k < length; k++) {
                    text.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x3000));
                }
                return new Document(text.toString(), null);
            }
            case 1 -> {
                return new Document(pick(random, BROKEN), null);
            }
            case 2, 3 -> {
                StringBuilder text = new StringBuilder();
                int lines = 1 + random.nextInt(8);
                for (int k = 0; k < lines; k++) {
                    text.append(assignment(pick(random, KEYS), pick(random, VALUES))).append('\n');
                }
                return new Document(text.toString(), null);
            }
            default -> {
                String key = pick(random, KEYS.subList(0, 22));
                return new Document(assignment(key, pick(random, VALUES)), key);
            }
        }
    }

    /** {@code a.b = v} written as a table and a key, the way the example config writes it. */
    private static String assignment(String key, String value) {
        int dot = key.indexOf('.');
        return dot < 0 ? key + " = " + value : "[" + key.substring(0, dot) + "]\n" + key.substring(dot + 1) + " = " + value;
    }

    private static <T> T pick(SplittableRandom random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
