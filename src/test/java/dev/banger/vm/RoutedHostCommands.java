package dev.banger.vm;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.RecordingHostCommands;
import java.util.Set;

/**
 * Sends network commands ({@code ip}, {@code nft}, {@code iptables}, {@code sysctl}) to a
 * recording fake, so tests change no host network, and everything else (the disk tools) to the
 * real runner. Thread-safe as its two delegates are.
 */
final class RoutedHostCommands implements HostCommands {
    static final Set<String> NETWORK_PROGRAMS = Set.of("ip", "nft", "iptables", "sysctl");

    private final RecordingHostCommands network;
    private final HostCommands real;

    RoutedHostCommands(RecordingHostCommands network, HostCommands real) {
        this.network = network;
        this.real = real;
    }

    @Override
    public CommandResult exec(Command command) {
        return NETWORK_PROGRAMS.contains(command.program()) ? network.exec(command) : real.exec(command);
    }

    @Override
    public boolean available(String program) {
        return NETWORK_PROGRAMS.contains(program) ? network.available(program) : real.available(program);
    }
}
