package dev.banger.host.net;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * VM names on the host: systemd-resolved's per-link DNS on the guests' bridge, so that
 * {@code <vm>.<domain>} (and only names under the domain: a routing-only {@code ~domain}) goes to
 * the daemon's DNS server on the bridge address, while the daemon runs; {@link #remove} undoes it
 * (resolved forgets a link's settings with the link too). Where resolved does not run, the host's
 * resolver is the user's to point at the bridge (doctor says how). Only from the host's own network
 * namespace: {@code resolvectl} names the link by its index in the caller's namespace, and resolved,
 * in the host's, would take that index for another link. Safe for concurrent use.
 */
public final class ResolvedLinkDns {
    /** resolved's runtime directory: present while it runs. */
    public static final Path RUNTIME_DIR = Path.of("/run/systemd/resolve");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HostCommands host;
    private final Path runtimeDir;
    private final BooleanSupplier inHostNamespace;

    public ResolvedLinkDns(HostCommands host) {
        this(host, RUNTIME_DIR, ResolvedLinkDns::inInitNetworkNamespace);
    }

    ResolvedLinkDns(HostCommands host, Path runtimeDir, BooleanSupplier inHostNamespace) {
        this.host = Objects.requireNonNull(host, "host");
        this.runtimeDir = Objects.requireNonNull(runtimeDir, "runtimeDir");
        this.inHostNamespace = Objects.requireNonNull(inHostNamespace, "inHostNamespace");
    }

    /** Whether systemd-resolved runs here, {@code resolvectl} can reach it, and this process shares its network namespace. */
    public boolean available() {
        return Files.isDirectory(runtimeDir) && host.available("resolvectl") && inHostNamespace.getAsBoolean();
    }

    /** This process's network namespace is init's (the host's); false when that cannot be read. */
    static boolean inInitNetworkNamespace() {
        try {
            return Files.isSameFile(Path.of("/proc/self/ns/net"), Path.of("/proc/1/ns/net"));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The commands that send {@code domain}'s names on {@code bridge} to {@code server}. Pure. */
    public static List<Command> routeCommands(String bridge, String server, String domain) {
        return List.of(Command.of("resolvectl", "dns", bridge, server).withTimeout(TIMEOUT),
                Command.of("resolvectl", "domain", bridge, "~" + domain).withTimeout(TIMEOUT));
    }

    /** The command that drops what {@link #routeCommands} set. Pure. */
    public static Command revertCommand(String bridge) {
        return Command.of("resolvectl", "revert", bridge).withTimeout(TIMEOUT);
    }

    /**
     * Routes {@code domain} on {@code bridge} to {@code server} when resolved runs; false when it does
     * not.
     *
     * @throws CommandFailedException when resolved refuses, naming the argv and its stderr
     */
    public boolean install(String bridge, String server, String domain) {
        if (!available()) {
            return false;
        }
        routeCommands(bridge, server, domain).forEach(host::run);
        return true;
    }

    /** Undoes {@link #install} (resolved refusing is left to the caller to log). */
    public void remove(String bridge) {
        if (available()) {
            host.run(revertCommand(bridge));
        }
    }
}
