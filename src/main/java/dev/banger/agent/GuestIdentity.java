package dev.banger.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What makes a restored guest this VM and no other: every restored guest starts as a byte-identical
 * copy of its golden snapshot, so the daemon sends it this over the host-only agent channel before
 * anyone can reach it ({@link AgentClient#applyIdentity}). Immutable value.
 *
 * @param hostname      the VM's name, the guest's hostname
 * @param address       the guest's IPv4 address with its prefix, e.g. {@code 172.16.0.5/24}
 * @param gateway       the default route's IPv4 address
 * @param dns           resolvers, in order
 * @param mac           the NIC's address, lower-case, colon-separated
 * @param machineId     a new {@code /etc/machine-id}: 32 lower-case hex digits
 * @param clock         the host's time, which the guest's clock is set to
 * @param entropy       fresh bytes from the host for the guest kernel's random pool
 * @param hostKey       the daemon-made SSH host key pair sshd takes
 * @param growRoot      whether the guest grows {@code /root}'s file system to its (grown) disk
 */
public record GuestIdentity(String hostname, String address, String gateway, List<String> dns, String mac,
        String machineId, Instant clock, byte[] entropy, HostKeyPair hostKey, boolean growRoot) {

    /**
     * An SSH host key pair.
     *
     * @param privateKey the OpenSSH private key file's text (secret: kept 0600 on the host)
     * @param publicKey  its public line, {@code ssh-ed25519 AAAA...}
     */
    public record HostKeyPair(String privateKey, String publicKey) {
        public HostKeyPair {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicKey, "publicKey");
        }

        @Override
        public String toString() {
            return "HostKeyPair[" + publicKey + "]"; // never the private key
        }
    }

    public GuestIdentity {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        dns = List.copyOf(dns);
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(clock, "clock");
        entropy = entropy.clone();
        Objects.requireNonNull(hostKey, "hostKey");
    }

    @Override
    public byte[] entropy() {
        return entropy.clone();
    }

    @Override
    public String toString() {
        return "GuestIdentity[" + hostname + " " + address + " " + mac + " " + hostKey + "]"; // no entropy in logs
    }
}
