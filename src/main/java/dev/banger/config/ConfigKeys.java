package dev.banger.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one list of config keys banger understands, as dotted names ({@code network.subnet}). The
 * loader warns about anything not listed here, and a test holds {@code config/banger.example.toml}
 * to documenting exactly this list, so adding a key here is how a key comes into existence.
 * Immutable; safe to share.
 */
public final class ConfigKeys {
    private static final List<String> REGISTRY = new ArrayList<>();

    public static final String VMM = key("vmm");
    public static final String LOG_LEVEL = key("log_level");
    public static final String DAEMON_GROUP = key("daemon.group");
    public static final String NETWORK_BRIDGE = key("network.bridge");
    public static final String NETWORK_SUBNET = key("network.subnet");
    public static final String NETWORK_DOMAIN = key("network.domain");
    public static final String NETWORK_TAP_POOL_SIZE = key("network.tap_pool_size");
    public static final String NETWORK_NAT = key("network.nat");
    public static final String VM_VCPUS = key("vm.vcpus");
    public static final String VM_MEMORY = key("vm.memory");
    public static final String VM_DISK = key("vm.disk");
    public static final String VM_WARM_MACHINES = key("vm.warm_machines");
    public static final String VM_GOLDEN_SNAPSHOTS = key("vm.golden_snapshots");
    public static final String AGENT_PATH = key("agent.path");
    public static final String AGENT_PORT = key("agent.port");
    public static final String IMAGE_DEFAULT = key("image.default");
    public static final String IMAGE_DEBIAN_MIRROR = key("image.debian_mirror");
    public static final String IMAGE_VOID_REPOSITORY = key("image.void_repository");
    public static final String IMAGE_XBPS_INSTALL = key("image.xbps_install");
    public static final String IMAGE_OPENCODE_VERSION = key("image.opencode_version");
    public static final String IMAGE_MISE_VERSION = key("image.mise_version");
    public static final String FIRECRACKER_BINARY = key("firecracker.binary");
    public static final String FIRECRACKER_JAILER = key("firecracker.jailer");
    public static final String FIRECRACKER_JAIL = key("firecracker.jail");
    public static final String QEMU_BINARY = key("qemu.binary");
    public static final String RUNTIME_BUNDLE = key("runtime.bundle");

    /** Every current key, in the order the example file documents them. */
    public static final List<String> ALL = List.copyOf(REGISTRY);

    /**
     * Deprecated spellings and the key each stands for. When several spellings of one key are
     * given, the current key wins, then the earlier entry here.
     */
    public static final Map<String, String> LEGACY = legacy();

    private ConfigKeys() {
    }

    /** Names of the TOML tables that may appear, current and legacy ({@code network}, {@code ping_helper}). */
    public static Set<String> tables() {
        Set<String> tables = new LinkedHashSet<>();
        for (String key : ALL) {
            tableOf(key).ifPresent(tables::add);
        }
        for (String key : LEGACY.keySet()) {
            tableOf(key).ifPresent(tables::add);
        }
        return tables;
    }

    private static Optional<String> tableOf(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(key.substring(0, dot));
    }

    private static String key(String name) {
        REGISTRY.add(name);
        return name;
    }

    private static Map<String, String> legacy() {
        Map<String, String> legacy = new LinkedHashMap<>();
        legacy.put("ping_helper.path", AGENT_PATH);
        legacy.put("ping_helper_path", AGENT_PATH);
        legacy.put("ping_helper.port", AGENT_PORT);
        legacy.put("ping_helper_port", AGENT_PORT);
        return Collections.unmodifiableMap(legacy);
    }
}
