package dev.banger.cli;

import dev.banger.model.Share;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.rpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm share NAME HOST_DIR[:GUEST_PATH][:ro]}: a host directory the VM sees at
 * {@code GUEST_PATH} (default {@code /mnt/<basename>}), mounted at once on a running VM and from the
 * next start on a stopped one ({@code vm.share.add}). A relative host path is taken from the
 * current directory. Also reads the same spec for {@code vm create --share}.
 */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Share a host directory with a VM (now when it runs, else from its next start).")
final class VmShareCommand implements Callable<Integer> {
    /** The host may be slow to answer while the guest mounts under emulation; the daemon's own wait is 30 s. */
    static final Duration SHARE_TIMEOUT = Duration.ofSeconds(90);

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "HOST_DIR[:GUEST_PATH][:ro]",
            description = "Host directory (relative to here), where the guest sees it (default /mnt/<basename>), and :ro"
                    + " for read-only.")
    String share;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        params.putAll(wire(spec, share, Path.of("").toAbsolutePath()));
        VmInfo info;
        try (RpcClient client = vm.connect()) {
            info = client.call("vm.share.add", params, VmInfo.class, SHARE_TIMEOUT);
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(info);
        } else {
            String guestPath = (String) params.get("guestPath");
            printer.line(info.name() + ": " + params.get("hostPath") + " is at " + guestPath
                    + (Boolean.TRUE.equals(params.get("readOnly")) ? " (read-only)" : "")
                    + (info.state() == VmState.RUNNING ? "" : "; mounted when the VM next starts"));
        }
        return ExitCodes.OK;
    }

    /**
     * A {@code HOST_DIR[:GUEST_PATH][:ro]} as {@code vm.share.add} and {@code vm.create.begin} take it:
     * the host path made absolute against {@code cwd} (the daemon has another working directory), the
     * default guest path from its last segment.
     */
    static Map<String, Object> wire(CommandSpec spec, String text, Path cwd) {
        Share parsed;
        try {
            int colon = text.indexOf(':');
            String host = colon < 0 ? text : text.substring(0, colon);
            String absolute = host.isEmpty() ? host : cwd.resolve(host).normalize().toString();
            parsed = Share.parse(absolute + (colon < 0 ? "" : text.substring(colon)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("hostPath", parsed.hostPath());
        wire.put("guestPath", parsed.guestPath());
        wire.put("readOnly", parsed.readOnly());
        return wire;
    }
}
