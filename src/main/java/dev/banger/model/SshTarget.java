package dev.banger.model;

import java.util.List;

/**
 * {@code vm.ssh}: how to reach a VM over SSH with no trust-on-first-use: its address, the user,
 * the runtime bundle's private key (sent only to authorised peers of the daemon socket, for the
 * CLI to store 0600), and {@code known_hosts} lines pinned from the host keys the guest agent
 * reported at boot. Immutable value.
 *
 * @param name        VM name
 * @param host        guest IP address
 * @param port        SSH port
 * @param user        login user ({@code root})
 * @param privateKey  OpenSSH private key text
 * @param knownHosts  {@code known_hosts} lines for {@code host}
 */
public record SshTarget(String name, String host, int port, String user, String privateKey, List<String> knownHosts) {
    public SshTarget {
        knownHosts = List.copyOf(knownHosts);
    }

    @Override
    public String toString() {
        return "SshTarget[" + name + " " + user + "@" + host + ":" + port + ", key hidden]";
    }
}
