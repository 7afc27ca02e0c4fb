package dev.banger.host.net;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.RecordingHostCommands;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;

/**
 * A pretend kernel for TAP tests on top of {@link RecordingHostCommands}: {@code ip tuntap add/del}
 * change a set of TAP names and {@code ip -j -d link show type tun} lists them as ip would.
 */
final class FakeTaps {
    static final List<String> ADD = List.of("ip", "tuntap", "add");
    static final List<String> DEL = List.of("ip", "tuntap", "del");
    static final List<String> ATTACH = List.of("ip", "link", "set");

    final RecordingHostCommands commands = new RecordingHostCommands();
    private final Set<String> taps = new ConcurrentSkipListSet<>();

    FakeTaps() {
        commands.answer(ADD, c -> taps.add(name(c)) ? ok(c, "")
                : new CommandResult(c, 1, "", "ioctl(TUNSETIFF): Device or resource busy", Duration.ZERO));
        commands.answer(DEL, c -> {
            taps.remove(name(c));
            return ok(c, "");
        });
        commands.answer(List.of("ip", "-j", "-d", "link", "show", "type", "tun"), c -> ok(c, json()));
    }

    FakeTaps with(String... existing) {
        taps.addAll(List.of(existing));
        return this;
    }

    Set<String> taps() {
        return Set.copyOf(taps);
    }

    /** The argvs recorded so far that start with {@code prefix}. */
    List<List<String>> ran(List<String> prefix) {
        return commands.recorded().stream()
                .filter(a -> a.size() >= prefix.size() && a.subList(0, prefix.size()).equals(prefix))
                .toList();
    }

    List<String> created() {
        return ran(ADD).stream().map(a -> a.get(4)).toList();
    }

    List<String> deleted() {
        return ran(DEL).stream().map(a -> a.get(4)).toList();
    }

    private String json() {
        return taps.stream()
                .map(t -> "{\"ifname\":\"" + t + "\",\"flags\":[\"BROADCAST\",\"UP\"],\"linkinfo\":{\"info_kind\":\"tun\","
                        + "\"info_data\":{\"type\":\"tap\"}}}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String name(Command c) {
        return c.argv().get(4);
    }

    private static CommandResult ok(Command c, String stdout) {
        return new CommandResult(c, 0, stdout, "", Duration.ZERO);
    }
}
