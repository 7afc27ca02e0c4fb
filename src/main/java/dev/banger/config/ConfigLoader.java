package dev.banger.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the TOML config into a {@link BangerConfig}. Parsing goes through a plain tree and every
 * value is checked by hand, so a bad value fails with the file, the key as written and the reason;
 * unknown and deprecated keys only produce warnings. A missing file means all defaults.
 * Stateless and thread-safe.
 */
public final class ConfigLoader {
    private static final TomlMapper MAPPER = new TomlMapper();

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}; a file that does not exist yields the defaults and no warnings.
     *
     * @throws ConfigException when the file cannot be read, is not TOML, or holds an invalid value
     */
    public static LoadedConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return new LoadedConfig(BangerConfig.defaults(), List.of());
        } catch (IOException e) {
            throw ConfigException.unreadable("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses config text; {@code source} names it in messages (usually the file path).
     *
     * @throws ConfigException when the text is not TOML or holds an invalid value
     */
    public static LoadedConfig parse(String toml, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(toml);
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            String line = where == null || where.getLineNr() < 1 ? "" : " line " + errorLine(where);
            throw ConfigException.unreadable(source + line + ": not valid TOML: " + e.getOriginalMessage(), e);
        }
        List<String> warnings = new ArrayList<>();
        Map<String, Setting> settings = collect(root, source, warnings);
        Values values = new Values(source, resolveLegacy(settings, warnings));
        return new LoadedConfig(build(values), warnings);
    }

    /**
     * The TOML parser reports where its reader stood, which after a complete key/value line (say, a
     * duplicate key) is the start of the next line; column 1 means nothing of that line was read.
     */
    private static int errorLine(JsonLocation where) {
        return where.getColumnNr() <= 1 && where.getLineNr() > 1 ? where.getLineNr() - 1 : where.getLineNr();
    }

    /** A value and the key it was written under (which may be a legacy alias of the key it sets). */
    private record Setting(String writtenAs, JsonNode value) {
    }

    private static Map<String, Setting> collect(JsonNode root, String source, List<String> warnings) {
        Map<String, Setting> found = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            return found;
        }
        Set<String> tables = ConfigKeys.tables();
        for (Map.Entry<String, JsonNode> top : root.properties()) {
            String name = top.getKey();
            JsonNode value = top.getValue();
            if (tables.contains(name)) {
                if (!value.isObject()) {
                    throw ConfigException.invalidValue(source, name,
                            "expected a table ([" + name + "]), got " + describe(value));
                }
                for (Map.Entry<String, JsonNode> child : value.properties()) {
                    accept(name + "." + child.getKey(), child.getValue(), found, warnings);
                }
            } else if (value.isObject()) {
                warnings.add("unknown table [" + name + "] (ignored)" + suggestion(name));
            } else if (name.contains(".")) {
                warnings.add("unknown key \"" + name + "\" (ignored)");
            } else {
                accept(name, value, found, warnings);
            }
        }
        return found;
    }

    private static void accept(String key, JsonNode value, Map<String, Setting> found, List<String> warnings) {
        if (ConfigKeys.ALL.contains(key) || ConfigKeys.LEGACY.containsKey(key)) {
            found.put(key, new Setting(key, value));
        } else {
            warnings.add("unknown key " + key + " (ignored)" + suggestion(key));
        }
    }

    private static Map<String, Setting> resolveLegacy(Map<String, Setting> found, List<String> warnings) {
        Map<String, Setting> resolved = new LinkedHashMap<>();
        found.forEach((key, setting) -> {
            if (!ConfigKeys.LEGACY.containsKey(key)) {
                resolved.put(key, setting);
            }
        });
        for (Map.Entry<String, String> alias : ConfigKeys.LEGACY.entrySet()) {
            Setting legacy = found.get(alias.getKey());
            if (legacy == null) {
                continue;
            }
            String target = alias.getValue();
            Setting winner = resolved.get(target);
            if (winner != null) {
                warnings.add(alias.getKey() + " is deprecated and was ignored because "
                        + winner.writtenAs() + " is also set; remove it (the new key is " + target + ")");
            } else {
                resolved.put(target, legacy);
                warnings.add(alias.getKey() + " is deprecated; rename it to " + target);
            }
        }
        return resolved;
    }

    private static BangerConfig build(Values v) {
        BangerConfig d = BangerConfig.defaults();
        VmmChoice vmm = v.choice(ConfigKeys.VMM, VmmChoice.values(), VmmChoice::configName, d.vmm());
        LogLevel logLevel = v.choice(ConfigKeys.LOG_LEVEL, LogLevel.values(), LogLevel::configName, d.logLevel());
        DaemonConfig daemon = new DaemonConfig(
                v.parsed(ConfigKeys.DAEMON_GROUP, d.daemon().group(), ConfigValues::groupName));
        NetworkConfig network = new NetworkConfig(
                v.parsed(ConfigKeys.NETWORK_BRIDGE, d.network().bridge(), ConfigValues::interfaceName),
                v.parsed(ConfigKeys.NETWORK_SUBNET, d.network().subnet(), SubnetSetting::parse),
                v.parsed(ConfigKeys.NETWORK_DOMAIN, d.network().domain(), ConfigValues::dnsDomain),
                v.integer(ConfigKeys.NETWORK_TAP_POOL_SIZE, 0, 64, d.network().tapPoolSize()),
                v.choice(ConfigKeys.NETWORK_NAT, NatMode.values(), NatMode::configName, d.network().nat()));
        VmDefaults vm = new VmDefaults(
                v.integer(ConfigKeys.VM_VCPUS, 1, 32, d.vm().vcpus()),
                v.size(ConfigKeys.VM_MEMORY, d.vm().memory(), ByteSize.ofMebibytes(128), ByteSize.ofGibibytes(1024), true),
                v.size(ConfigKeys.VM_DISK, d.vm().disk(), ByteSize.ofMebibytes(256), ByteSize.MAX, false),
                v.integer(ConfigKeys.VM_WARM_MACHINES, 0, VmDefaults.MAX_WARM_MACHINES, d.vm().warmMachines()),
                v.bool(ConfigKeys.VM_GOLDEN_SNAPSHOTS, d.vm().goldenSnapshots()));
        AgentConfig agent = new AgentConfig(
                v.optional(ConfigKeys.AGENT_PATH, ConfigValues::absolutePath),
                v.integer(ConfigKeys.AGENT_PORT, 1, 65535, d.agent().port()));
        ImageConfig image = new ImageConfig(
                v.parsed(ConfigKeys.IMAGE_DEFAULT, d.image().defaultImage(), ConfigValues::imageName),
                v.optional(ConfigKeys.IMAGE_DEBIAN_MIRROR, ConfigValues::url),
                v.optional(ConfigKeys.IMAGE_VOID_REPOSITORY, ConfigValues::url),
                v.optional(ConfigKeys.IMAGE_XBPS_INSTALL, ConfigValues::program),
                v.parsed(ConfigKeys.IMAGE_OPENCODE_VERSION, d.image().opencodeVersion(), ConfigValues::exactVersion),
                v.parsed(ConfigKeys.IMAGE_MISE_VERSION, d.image().miseVersion(), ConfigValues::exactVersion));
        FirecrackerConfig firecracker = new FirecrackerConfig(
                v.optional(ConfigKeys.FIRECRACKER_BINARY, ConfigValues::absolutePath),
                v.optional(ConfigKeys.FIRECRACKER_JAILER, ConfigValues::absolutePath),
                v.bool(ConfigKeys.FIRECRACKER_JAIL, d.firecracker().jail()));
        QemuConfig qemu = new QemuConfig(v.parsed(ConfigKeys.QEMU_BINARY, d.qemu().binary(), ConfigValues::program));
        RuntimeConfig runtime = new RuntimeConfig(v.optional(ConfigKeys.RUNTIME_BUNDLE, ConfigValues::absolutePath));
        return new BangerConfig(vmm, logLevel, daemon, network, vm, agent, image, firecracker, qemu, runtime);
    }

    /** Typed access to the resolved settings; every failure names the key as the user wrote it. */
    private record Values(String source, Map<String, Setting> settings) {
        String string(String key, String fallback) {
            Setting s = settings.get(key);
            if (s == null) {
                return fallback;
            }
            if (!s.value().isTextual()) {
                throw fail(s, "expected a string, got " + describe(s.value()));
            }
            return s.value().textValue();
        }

        <T> T parsed(String key, T fallback, Function<String, T> parser) {
            Setting s = settings.get(key);
            if (s == null) {
                return fallback;
            }
            String text = string(key, null);
            try {
                return parser.apply(text);
            } catch (ConfigException e) {
                throw fail(s, e.reason());
            }
        }

        /** An empty string means "not set" for optional values. */
        <T> Optional<T> optional(String key, Function<String, T> parser) {
            String text = string(key, "");
            return text.isEmpty() ? Optional.empty() : Optional.of(parsed(key, null, parser));
        }

        int integer(String key, int min, int max, int fallback) {
            Setting s = settings.get(key);
            if (s == null) {
                return fallback;
            }
            JsonNode value = s.value();
            if (!value.isIntegralNumber()) {
                throw fail(s, "expected an integer in " + min + ".." + max + ", got " + describe(value));
            }
            if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
                throw fail(s, value + " is out of range: must be " + min + ".." + max);
            }
            return value.intValue();
        }

        boolean bool(String key, boolean fallback) {
            Setting s = settings.get(key);
            if (s == null) {
                return fallback;
            }
            if (!s.value().isBoolean()) {
                throw fail(s, "expected true or false, got " + describe(s.value()));
            }
            return s.value().booleanValue();
        }

        <E extends Enum<E>> E choice(String key, E[] options, Function<E, String> name, E fallback) {
            Setting s = settings.get(key);
            if (s == null) {
                return fallback;
            }
            String text = string(key, null);
            List<String> names = new ArrayList<>();
            for (E option : options) {
                if (name.apply(option).equals(text)) {
                    return option;
                }
                names.add("\"" + name.apply(option) + "\"");
            }
            throw fail(s, ConfigValues.quote(text) + " is not one of " + String.join(", ", names));
        }

        ByteSize size(String key, ByteSize fallback, ByteSize min, ByteSize max, boolean wholeMebibytes) {
            Setting s = settings.get(key);
            if (s == null) {
                return fallback;
            }
            if (!s.value().isTextual()) {
                throw fail(s, "expected a size string such as \"" + fallback + "\", got " + describe(s.value()));
            }
            ByteSize size = parsed(key, null, ByteSize::parse);
            String quoted = ConfigValues.quote(s.value().textValue());
            if (size.compareTo(min) < 0) {
                throw fail(s, quoted + " is too small: the minimum is " + min);
            }
            if (size.compareTo(max) > 0) {
                throw fail(s, quoted + " is too large: the maximum is " + max);
            }
            if (wholeMebibytes && !size.isWholeMebibytes()) {
                throw fail(s, quoted + " is not a whole number of mebibytes, e.g. write " + size.mebibytes() + "M");
            }
            return size;
        }

        private ConfigException fail(Setting s, String reason) {
            return ConfigException.invalidValue(source, s.writtenAs(), reason);
        }
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string (" + ConfigValues.quote(value.textValue()) + ")";
        }
        if (value.isIntegralNumber()) {
            return "an integer (" + value + ")";
        }
        if (value.isNumber()) {
            return "a number (" + value + ")";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value + ")";
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "a table" : value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** A hint for a misspelt or misplaced key: same last word in another table, else a near spelling. */
    private static String suggestion(String unknown) {
        String last = unknown.substring(unknown.lastIndexOf('.') + 1);
        Optional<String> best = ConfigKeys.ALL.stream()
                .filter(k -> k.substring(k.lastIndexOf('.') + 1).equals(last))
                .findFirst()
                .or(() -> ConfigKeys.ALL.stream()
                        .filter(k -> editDistance(k, unknown) <= 2)
                        .min(Comparator.comparingInt(k -> editDistance(k, unknown))))
                .or(() -> ConfigKeys.tables().stream()
                        .filter(t -> editDistance(t, unknown) <= 2)
                        .findFirst()
                        .map(t -> "[" + t + "]"));
        return best.map(k -> "; did you mean " + k + "?").orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
