package dev.banger.cli;

import dev.banger.model.SshTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans {@code banger vm cp}: reads each operand as a local path or {@code NAME:path} in a VM, and
 * builds the argument list of the system {@code scp} with the VM's pinned key. Pure and stateless.
 */
final class ScpCommand {
    private ScpCommand() {}

    /** One side of a copy: {@code path} in the VM {@code vm}, or on this machine when {@code vm} is null. */
    record Operand(String vm, String path) {
        boolean inVm() {
            return vm != null;
        }
    }

    /**
     * {@code NAME:path} when a ':' comes before any '/', as scp itself reads its operands; anything
     * else is local, so {@code ./a:b} and {@code /tmp/a:b} name local files. The name is not validated here.
     */
    static Operand parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0 || text.substring(0, colon).contains("/")) {
            return new Operand(null, text);
        }
        return new Operand(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * The VM the copy goes to or comes from.
     *
     * @throws IllegalArgumentException when both operands or neither name a VM, with what to type instead
     */
    static String vm(Operand source, Operand destination) {
        if (source.inVm() && destination.inVm()) {
            throw new IllegalArgumentException("both " + source.vm() + ":" + source.path() + " and " + destination.vm()
                    + ":" + destination.path() + " name a VM; copy between VMs through this machine, and write a local"
                    + " path containing ':' as ./" + source.vm() + ":" + source.path());
        }
        if (!source.inVm() && !destination.inVm()) {
            throw new IllegalArgumentException("neither " + source.path() + " nor " + destination.path()
                    + " names a VM; write the VM side as NAME:path, e.g. banger vm cp ./file dev1:/root/");
        }
        return source.inVm() ? source.vm() : destination.vm();
    }

    /**
     * The argv of the system {@code scp}: the pinned key options of {@link SshCommand}, the VM's
     * port, {@code -r} when {@code recursive}, then {@code --} so that no path is read as an option,
     * then the operands with the VM side as {@code user@host:path} (the host is an IPv4 address).
     * The VM's path is passed unquoted: since OpenSSH 9.0 scp speaks SFTP by default, which sends
     * the path as it is, with no remote shell to split it (the guest's sshd serves the sftp
     * subsystem), so spaces and quotes stay; scp itself still expands a '*'. Only the legacy
     * protocol ({@code scp -O}, the default of an older host's scp) hands the path to the guest's
     * shell, which would split it at spaces.
     */
    static List<String> argv(SshTarget target, Path keyFile, Path knownHostsFile, boolean recursive, Operand source,
            Operand destination) {
        List<String> argv = new ArrayList<>(List.of("scp"));
        argv.addAll(SshCommand.pinnedKeyOptions(keyFile, knownHostsFile));
        argv.addAll(List.of("-P", Integer.toString(target.port())));
        if (recursive) {
            argv.add("-r");
        }
        argv.add("--");
        argv.add(operand(target, source));
        argv.add(operand(target, destination));
        return List.copyOf(argv);
    }

    private static String operand(SshTarget target, Operand operand) {
        return operand.inVm() ? target.user() + "@" + target.host() + ":" + operand.path() : operand.path();
    }
}
