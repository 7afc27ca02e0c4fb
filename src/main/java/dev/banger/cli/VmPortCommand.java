package dev.banger.cli;

import dev.banger.model.PortForward;
import dev.banger.model.PortSpecException;
import dev.banger.model.VmPorts;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm port}: the ports a VM publishes on the host ({@code add}, {@code rm},
 * {@code list}), and the renderings its subcommands share. Not thread-safe.
 */
@Command(name = "port", mixinStandardHelpOptions = true,
        description = "Publish a VM's ports on the host: list, add and remove forwards.",
        subcommands = {VmPortListCommand.class, VmPortAddCommand.class, VmPortRmCommand.class})
final class VmPortCommand implements Runnable {
    /** The spec form, for help texts. */
    static final String SPEC_HELP = "[HOST_ADDR:]HOST_PORT:GUEST_PORT[/tcp|udp]; HOST_ADDR defaults to 127.0.0.1"
            + " (only this host), 0.0.0.0 means every address of the host";

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a vm port command is required: list, add or rm; see banger vm port --help");
    }

    /** Checks a spec before it reaches the daemon, as a usage error naming the option or parameter. */
    static PortForward forward(CommandSpec spec, String text) {
        try {
            return PortForward.parse(text);
        } catch (PortSpecException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static void hostSide(CommandSpec spec, String text) {
        try {
            PortForward.HostSide.parse(text);
        } catch (PortSpecException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static final List<String> HEADER = List.of("HOST", "GUEST", "PROTO");

    /** One table row per forward: {@code 127.0.0.1:8080  172.30.0.2:80  tcp}. */
    static List<List<String>> rows(VmPorts ports) {
        return ports.ports().stream().map(f -> List.of(f.hostAddress() + ":" + f.hostPort(),
                (ports.ip() == null ? "guest" : ports.ip()) + ":" + f.guestPort(), f.protocol())).toList();
    }

    /** The human answer of list, add and rm: the table, then whether it is live. */
    static void print(Printer printer, VmPorts ports) {
        if (ports.ports().isEmpty()) {
            printer.line(ports.name() + " publishes no ports; add one with: banger vm port add " + ports.name() + " 8080:80");
            return;
        }
        printer.table(HEADER, rows(ports));
        if (!ports.active()) {
            printer.line("(" + ports.name() + " is not running: the forwards are installed when it starts)");
        }
    }
}
