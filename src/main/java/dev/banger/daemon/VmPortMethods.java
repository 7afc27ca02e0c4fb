package dev.banger.daemon;

import dev.banger.model.PortForward;
import dev.banger.model.PortSpecException;
import dev.banger.rpc.InvalidParameterException;
import dev.banger.rpc.RpcMethod;
import dev.banger.vm.PortForwards;
import java.util.List;

/**
 * The {@code vm.port.*} methods: list, add and remove the ports a VM publishes on the host. A spec
 * is the text {@code vm port add} takes ({@code [HOST_ADDR:]HOST_PORT:GUEST_PORT[/tcp|udp]}); rm
 * also takes the host side alone. Each answers the VM's forwards after the change. Thread-safe.
 */
final class VmPortMethods {
    private final PortForwards ports;

    VmPortMethods(PortForwards ports) {
        this.ports = ports;
    }

    /** {@code spec}: a whole forward, e.g. {@code 127.0.0.1:8080:80/tcp}. */
    record AddParams(String name, String spec) {
        AddParams {
            VmMethods.checkName("name", name);
            forward("spec", spec);
        }
    }

    /** {@code spec}: the host side, e.g. {@code 127.0.0.1:8080/tcp}, or a whole forward. */
    record RemoveParams(String name, String spec) {
        RemoveParams {
            VmMethods.checkName("name", name);
            hostSide("spec", spec);
        }
    }

    List<RpcMethod<?, ?>> methods() {
        return List.of(
                RpcMethod.of("vm.port.list", VmMethods.NameParams.class, (p, c) -> ports.list(p.name())),
                RpcMethod.of("vm.port.add", AddParams.class, (p, c) -> ports.add(p.name(), forward("spec", p.spec()))),
                RpcMethod.of("vm.port.rm", RemoveParams.class, (p, c) -> ports.remove(p.name(), hostSide("spec", p.spec()))));
    }

    /** Parses a forward, a bad one being the named parameter's fault. */
    static PortForward forward(String field, String spec) {
        try {
            return PortForward.parse(spec);
        } catch (PortSpecException e) {
            throw new InvalidParameterException(field, e.getMessage());
        }
    }

    static List<PortForward> forwards(String field, List<String> specs) {
        return specs == null ? List.of() : specs.stream().map(spec -> forward(field, spec)).toList();
    }

    private static PortForward.HostSide hostSide(String field, String spec) {
        try {
            return PortForward.HostSide.parse(spec);
        } catch (PortSpecException e) {
            throw new InvalidParameterException(field, e.getMessage());
        }
    }
}
