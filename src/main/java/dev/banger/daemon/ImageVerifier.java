package dev.banger.daemon;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.model.HealthReport;
import dev.banger.model.SshTarget;
import dev.banger.model.StageRunner;
import dev.banger.model.VmDeleteResult;
import dev.banger.vm.CreateRequest;
import dev.banger.vm.VmInspector;
import dev.banger.vm.VmService;
import dev.banger.vm.create.CreatePlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code image verify}: boots a throwaway VM from the image through the normal create pipeline
 * (so agent health and sshd are proven on the way), then checks over SSH what the image promises —
 * a shell for every image; opencode listening and answering, and mise on root's PATH, for the dev
 * profile — and deletes the VM whatever happened. Thread-safe.
 */
final class ImageVerifier {
    private static final Duration SSH_TIMEOUT = Duration.ofMinutes(2);

    private final VmService vms;
    private final VmInspector inspector;
    private final HostCommands host;
    private final Path scratch;

    ImageVerifier(VmService vms, VmInspector inspector, HostCommands host, Path scratch) {
        this.vms = vms;
        this.inspector = inspector;
        this.host = host;
        this.scratch = scratch;
    }

    /**
     * A plan for a VM from {@code image} at the daemon's default size (which a warm machine may be
     * waiting for), with a small disk, named {@code verify-<image>-<random>}.
     */
    CreatePlan plan(String image) {
        String base = "verify-" + image.replaceAll("[^a-z0-9-]", "-");
        String name = (base.length() > 54 ? base.substring(0, 54) : base) + "-" + UUID.randomUUID().toString().substring(0, 6);
        return vms.plan(new CreateRequest(name.replaceAll("-+", "-"), image, null, null, 2));
    }

    List<String> stages(CreatePlan plan) {
        List<String> stages = new ArrayList<>(plan.stages());
        stages.add("checks");
        stages.add("delete");
        return stages;
    }

    void verify(CreatePlan plan, StageRunner stages) {
        try {
            vms.create(plan, stages);
            stages.run("checks", () -> check(plan));
        } finally {
            stages.run("delete", () -> {
                VmDeleteResult result = vms.delete(List.of(plan.name()));
                if (!result.allDeleted() && !result.outcomes().getFirst().kind().equals(ErrorKind.NOT_FOUND.wireName())) {
                    throw new DaemonException(ErrorKind.INTERNAL, "the verification VM " + plan.name()
                            + " could not be deleted: " + result.outcomes().getFirst().error());
                }
            });
        }
    }

    private void check(CreatePlan plan) {
        HealthReport health = inspector.health(plan.name());
        if (health.status() != HealthReport.Status.OK) {
            throw failed(plan, "the agent reports " + health.status().wireName());
        }
        SshTarget target = inspector.ssh(plan.name());
        ssh(plan, target, "a shell over SSH", "uname -a");
        if (plan.services().contains("opencode")) {
            if (!health.listening("opencode")) {
                throw failed(plan, "opencode is not listening on port 4096");
            }
            ssh(plan, target, "opencode on root's PATH", "bash -lic 'opencode --version'");
            ssh(plan, target, "mise on root's PATH in an interactive bash", "bash -lic 'mise --version'");
        }
    }

    private CommandResult ssh(CreatePlan plan, SshTarget target, String what, String remote) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(scratch), "verify-ssh",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path key = Files.writeString(dir.resolve("key"), target.privateKey());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path knownHosts = Files.write(dir.resolve("known_hosts"), target.knownHosts());
            CommandResult result = host.exec(Command.of("ssh", "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                    "-p", Integer.toString(target.port()), "--", target.user() + "@" + target.host(), remote)
                    .withTimeout(SSH_TIMEOUT));
            if (!result.succeeded()) {
                throw failed(plan, what + " failed (`" + remote + "` exited " + result.exitCode() + "): "
                        + result.stderr().strip() + result.stdout().strip());
            }
            return result;
        } catch (IOException e) {
            throw new DaemonException(ErrorKind.INTERNAL, "cannot prepare the SSH check: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try {
                    dev.banger.host.FileTrees.delete(dir);
                } catch (IOException ignored) {
                    // A leftover temp dir holds nothing secret beyond the bundle key, which stays 0600.
                }
            }
        }
    }

    private static DaemonException failed(CreatePlan plan, String what) {
        return new DaemonException(ErrorKind.PRECONDITION_FAILED, "image '" + plan.image().name() + "' failed verification: "
                + what);
    }
}
