package dev.banger.guestconfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a {@link GuestConfig} as the kernel command line: the backend's base arguments, then the
 * guest config as {@code banger.*} arguments, then the capabilities' extra arguments. Pure: it
 * returns strings and touches nothing. Immutable and thread-safe.
 *
 * <p>The encoding, read in the guest from {@code /proc/cmdline} (one word per argument, values
 * never contain spaces or quotes; for single-valued keys the last occurrence wins, as in
 * {@code NicBootstrapScript}):
 * <ul>
 *   <li>{@code banger.hostname=NAME} — a DNS label, always present</li>
 *   <li>{@code banger.ip=ADDR/PREFIX} — e.g. {@code banger.ip=172.30.0.2/24}; absent for a guest
 *       without network (the NIC script then leaves the network alone)</li>
 *   <li>{@code banger.gw=ADDR} — the default route's gateway, on-link</li>
 *   <li>{@code banger.dns=ADDR[,ADDR...]} — resolv.conf nameservers, in order, at most three</li>
 *   <li>{@code banger.search=DOMAIN} — resolv.conf search domain (not yet read by the NIC script)</li>
 *   <li>{@code banger.iface=NAME} — the interface to configure, when not the first non-loopback one</li>
 *   <li>{@code banger.mount=DEV:MOUNTPOINT:FSTYPE:OPT[,OPT...]} — one argument per mount, repeated,
 *       in mount order (parents first); e.g. {@code banger.mount=/dev/vdb:/root:ext4:defaults}. The
 *       four fields never contain {@code :}, so splitting on {@code :} is exact; OPTS is the
 *       comma-separated {@code mount -o} list. Unlike the other keys, every occurrence counts; the
 *       guest's {@code banger-mounts} (images whose manifest says {@code mountsFromConfig}) reads
 *       them here and then from the config drive, whose word wins for its mount point. A mount of
 *       type {@code fuse.sshfs} (e.g. {@code banger.mount=banger-share:/mnt/src:fuse.sshfs:ro}) is a
 *       host directory the host attaches over SSH: the guest only makes its mount point.</li>
 * </ul>
 * The whole line is limited to {@link #MAX_LENGTH} bytes, the x86 kernel's {@code COMMAND_LINE_SIZE}.
 */
public final class KernelCommandLine {
    /** x86 {@code COMMAND_LINE_SIZE} including the terminating NUL. */
    public static final int MAX_LENGTH = 2047;

    /**
     * Firecracker's documented boot arguments: serial console, reboot by keyboard controller so that
     * a guest reboot ends the VMM, no PCI probing, and the i8042 flags that skip the slow PS/2 probe
     * (most of a second) while keeping Ctrl-Alt-Del working; the root disk is the first virtio drive.
     */
    public static final KernelCommandLine FIRECRACKER = new KernelCommandLine(List.of(
            "console=ttyS0", "reboot=k", "panic=1", "pci=off", "i8042.noaux", "i8042.nomux", "i8042.dumbkbd", "root=/dev/vda", "rw"));

    /**
     * QEMU {@code -M microvm} with {@code -device i8042}: virtio-mmio devices found through ACPI, so
     * the same Firecracker-style line boots it (measured, HOST-FACTS.md). Kept separate so the two
     * backends can diverge.
     */
    public static final KernelCommandLine QEMU_MICROVM = new KernelCommandLine(FIRECRACKER.baseArgs);

    /** The key of one mount's word, repeated once per mount. */
    public static final String MOUNT_KEY = "banger.mount";

    /** Keys the kernel accepts several times, each adding something (several consoles). */
    private static final Set<String> MULTI_VALUED_KEYS = Set.of("console");

    private final List<String> baseArgs;

    private KernelCommandLine(List<String> baseArgs) {
        this.baseArgs = List.copyOf(baseArgs);
    }

    /**
     * A backend's own base arguments.
     *
     * @throws GuestConfigException when an argument is not a single plain word or sets a {@code banger.*} key
     */
    public static KernelCommandLine withBase(List<String> baseArgs) {
        for (String arg : baseArgs) {
            GuestConfig.checkKernelArg(arg);
        }
        return new KernelCommandLine(baseArgs);
    }

    public List<String> baseArgs() {
        return baseArgs;
    }

    /** The {@code banger.*} arguments encoding {@code config}, in the order documented above. */
    public static List<String> guestArgs(GuestConfig config) {
        List<String> args = new ArrayList<>();
        args.add("banger.hostname=" + config.hostname());
        config.address().ifPresent(a -> args.add("banger.ip=" + a));
        config.gateway().ifPresent(g -> args.add("banger.gw=" + g.getHostAddress()));
        if (!config.resolvers().isEmpty()) {
            args.add("banger.dns=" + config.resolvers().stream().map(r -> r.getHostAddress()).collect(Collectors.joining(",")));
        }
        config.searchDomain().ifPresent(d -> args.add("banger.search=" + d));
        config.iface().ifPresent(i -> args.add("banger.iface=" + i));
        for (GuestMount mount : config.mounts()) {
            args.add(MOUNT_KEY + "=" + mount.encoded());
        }
        return List.copyOf(args);
    }

    /**
     * Base, guest and extra arguments, in that order; an extra argument identical to a base one is
     * dropped.
     *
     * @throws GuestConfigException when an extra argument gives a base key another value (except
     *                              multi-valued keys such as {@code console}), or the line is too long
     */
    public List<String> args(GuestConfig config) {
        Map<String, String> baseByKey = new LinkedHashMap<>();
        for (String arg : baseArgs) {
            baseByKey.put(GuestConfig.key(arg), arg);
        }
        List<String> args = new ArrayList<>(baseArgs);
        args.addAll(guestArgs(config));
        for (String extra : config.kernelArgs()) {
            String key = GuestConfig.key(extra);
            String base = baseByKey.get(key);
            if (base != null && base.equals(extra)) {
                continue;
            }
            if (base != null && !MULTI_VALUED_KEYS.contains(key)) {
                throw GuestConfigException.conflict("kernel argument " + extra + " contradicts the backend's " + base);
            }
            args.add(extra);
        }
        int length = String.join(" ", args).length();
        if (length > MAX_LENGTH) {
            throw GuestConfigException.invalid("kernel command line would be " + length + " bytes, over the kernel's limit of "
                    + MAX_LENGTH + "; too many mounts or kernel arguments");
        }
        return List.copyOf(args);
    }

    /** {@link #args} joined by single spaces: the string a backend passes as boot arguments. */
    public String render(GuestConfig config) {
        return String.join(" ", args(config));
    }

    @Override
    public String toString() {
        return "KernelCommandLine" + baseArgs;
    }
}
