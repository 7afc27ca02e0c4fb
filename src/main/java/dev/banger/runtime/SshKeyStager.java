package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code generate:ssh-key}: the ed25519 keypair images authorise for root and {@code banger vm ssh}
 * uses. An existing pair in the bundle is kept (rebootstrapping must not lock users out of
 * running VMs); otherwise {@code ssh-keygen} makes a new one. Outputs {@code private} and {@code public}.
 */
final class SshKeyStager implements Stager {
    @Override
    public Map<String, Staged> stage(Context context) {
        Path existingPrivate = pathOf(context, RuntimeArtifacts.SSH_PRIVATE_KEY);
        Path existingPublic = pathOf(context, RuntimeArtifacts.SSH_PUBLIC_KEY);
        if (existingPrivate != null && existingPublic != null
                && Files.isRegularFile(existingPrivate) && Files.isRegularFile(existingPublic)) {
            context.progress().accept("keeping the existing SSH keypair " + existingPrivate);
            return Map.of("private", new Staged(existingPrivate, "ed25519", ""),
                    "public", new Staged(existingPublic, "ed25519", ""));
        }
        if (!context.host().available("ssh-keygen")) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED,
                    "ssh-keygen is missing; install openssh-client (apt-get install openssh-client) and rerun");
        }
        Path dir = context.workDir().resolve("ssh-key");
        Path key = dir.resolve("id_ed25519");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot create " + dir + ": " + e.getMessage(), e);
        }
        context.progress().accept("generating an ed25519 SSH keypair");
        context.host().run(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "banger-runtime",
                "-f", key.toString()));
        return Map.of("private", new Staged(key, "ed25519", ""),
                "public", new Staged(dir.resolve("id_ed25519.pub"), "ed25519", ""));
    }

    private static Path pathOf(Context context, String artifact) {
        return context.spec().artifact(artifact).map(a -> context.bundleRoot().resolve(a.path())).orElse(null);
    }
}
