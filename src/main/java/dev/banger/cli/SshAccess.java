package dev.banger.cli;

import dev.banger.model.SshTarget;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.Map;

/**
 * What {@code banger vm ssh}, {@code vm exec} and {@code vm cp} start {@code ssh} or {@code scp} with: the daemon's
 * SSH target of one VM and its key and pinned known_hosts written as private files. Immutable.
 */
record SshAccess(SshTarget target, SshKeyFiles.Written files) {
    /** Asks bangerd for {@code name}'s target and writes its files; {@code name} must already be validated. */
    static SshAccess fetch(VmCommand vm, String name) {
        SshTarget answer;
        try (RpcClient client = vm.connect()) {
            answer = client.call("vm.ssh", Map.of("name", name), SshTarget.class, Duration.ofSeconds(30));
        }
        // The files are named after the validated name the user gave, whatever the daemon echoed.
        SshTarget target = new SshTarget(name, answer.host(), answer.port(), answer.user(), answer.privateKey(),
                answer.knownHosts());
        return new SshAccess(target, SshKeyFiles.write(SshKeyFiles.directory(vm.environment), target));
    }
}
