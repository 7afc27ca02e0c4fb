package dev.banger.vm.host;

import dev.banger.agent.GuestIdentity.HostKeyPair;
import dev.banger.vm.state.VmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The SSH host keys the daemon makes for guests, so that each is known before the guest runs:
 * pinned in {@code vm ssh}'s {@code known_hosts} with no trust on first use, and never made by a
 * guest at boot. One ed25519 pair per VM, made in-process ({@link OpenSshKeys}) and kept in its
 * directory ({@value #FILE}, 0600; the public half beside it). Thread-safe.
 */
public final class HostKeys {
    public static final String FILE = "ssh_host_ed25519_key";

    /** The pair kept in {@code vmDir}, made there first when it has none. */
    public HostKeyPair of(Path vmDir) {
        Path key = vmDir.resolve(FILE);
        return read(key).orElseGet(() -> make(key));
    }

    /** The pair kept in {@code vmDir}, if one was made. */
    public static Optional<HostKeyPair> read(Path key) {
        Path pub = key.resolveSibling(key.getFileName() + ".pub");
        if (!Files.isRegularFile(key) || !Files.isRegularFile(pub)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HostKeyPair(Files.readString(key, StandardCharsets.UTF_8),
                    publicLine(Files.readString(pub, StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw VmException.failed("cannot read the SSH host key " + key + ": " + e.getMessage());
        }
    }

    private static HostKeyPair make(Path key) {
        OpenSshKeys.Pair pair = OpenSshKeys.ed25519();
        Path pub = key.resolveSibling(key.getFileName() + ".pub");
        try {
            Files.deleteIfExists(key);
            Files.deleteIfExists(pub);
            // Created 0600, so the private half is never readable by others, not even for a moment.
            Files.writeString(Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    pair.privateText(), StandardCharsets.UTF_8);
            Files.writeString(pub, pair.publicLine() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw VmException.failed("cannot write the SSH host key " + key + ": " + e.getMessage());
        }
        return new HostKeyPair(pair.privateText(), pair.publicLine());
    }

    /** {@code ssh-ed25519 AAAA...}: type and key, without the comment. */
    public static String publicLine(String text) {
        String[] words = text.strip().split("\\s+");
        if (words.length < 2) {
            throw VmException.failed("not an SSH public key: '" + text.strip() + "'");
        }
        return words[0] + " " + words[1];
    }
}
