package dev.banger.host.net;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test decorator that runs every command inside a network namespace it creates
 * ({@code ip netns exec NS ...}), so bridges, TAPs, NAT rules and {@code net.ipv4.ip_forward}
 * touch only that namespace. Records the argv it was asked to run (without the prefix).
 * {@link #close()} deletes the namespace and everything in it. Safe for concurrent use.
 */
final class NetnsHostCommands implements HostCommands, AutoCloseable {
    private final HostCommands host;
    private final String namespace;
    private final List<List<String>> recorded = new ArrayList<>();

    private NetnsHostCommands(HostCommands host, String namespace) {
        this.host = host;
        this.namespace = namespace;
    }

    static NetnsHostCommands create(HostCommands host) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String namespace = "banger-test-" + HexFormat.of().formatHex(random);
        host.run("ip", "netns", "add", namespace);
        return new NetnsHostCommands(host, namespace);
    }

    String namespace() {
        return namespace;
    }

    @Override
    public CommandResult exec(Command command) {
        synchronized (recorded) {
            recorded.add(command.argv());
        }
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command.argv());
        return host.exec(new Command(argv, command.env(), command.workDir(), command.timeout(), command.stdin()));
    }

    @Override
    public boolean available(String program) {
        return host.available(program);
    }

    /** Runs a command in the namespace without recording it: the test's own look at the state. */
    String look(String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(argv));
        return host.run(Command.of(full)).stdout();
    }

    List<List<String>> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    @Override
    public void close() {
        host.exec(Command.of("ip", "netns", "del", namespace));
    }
}
