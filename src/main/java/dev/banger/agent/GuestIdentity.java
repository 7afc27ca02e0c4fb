package dev.banger.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What makes a restored guest this VM and no other: every restored guest starts as a byte-identical
 * copy of its golden snapshot, so the daemon sends it this over the host-only agent channel before
 * anyone can reach it ({@link AgentClient#applyIdentity}). Immutable value. The constructor checks
 * every field against the agent's wire format ({@code POST /identity}, see guest/agent/src/identity.c)
 * so a bad value fails here, naming the field, rather than in the guest; the agent checks again.
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
        /** What the guest writes as {@code ssh_host_ed25519_key}; its OpenSSH text is about 400 bytes. */
        static final int MAX_PRIVATE_KEY_BYTES = 4095;
        private static final String PRIVATE_KEY_HEADER = "-----BEGIN OPENSSH PRIVATE KEY-----";
        private static final Pattern PUBLIC_KEY = Pattern.compile("ssh-ed25519 [A-Za-z0-9+/=]{1,1000}");

        public HostKeyPair {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicKey, "publicKey");
            if (!privateKey.startsWith(PRIVATE_KEY_HEADER)) {
                throw new IllegalArgumentException("host key: the private key must be OpenSSH key file text starting with "
                        + PRIVATE_KEY_HEADER + " (as ssh-keygen -t ed25519 writes it)");
            }
            if (privateKey.getBytes(StandardCharsets.UTF_8).length > MAX_PRIVATE_KEY_BYTES) {
                throw new IllegalArgumentException("host key: the private key is over " + MAX_PRIVATE_KEY_BYTES
                        + " bytes; an ed25519 key file is about 400");
            }
            if (!PUBLIC_KEY.matcher(publicKey).matches()) {
                throw new IllegalArgumentException("host key: the public key must be 'ssh-ed25519 <base64>' with no comment, got '"
                        + publicKey + "' (drop the comment ssh-keygen adds)");
            }
        }

        @Override
        public String toString() {
            return "HostKeyPair[" + publicKey + "]"; // never the private key
        }
    }

    /** The number of entropy bytes the guest's pool is credited with. */
    public static final int ENTROPY_BYTES = 64;

    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern PREFIX = Pattern.compile("[1-9]|[12][0-9]|3[0-2]");
    private static final Pattern MAC = Pattern.compile("[0-9a-f][02468ace](:[0-9a-f]{2}){5}");
    private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");
    /** The agent takes at most 12 digits of seconds (until the year 33658). */
    private static final long MAX_CLOCK_SECONDS = 999_999_999_999L;

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
        require(HOSTNAME.matcher(hostname).matches(), "hostname", hostname,
                "1 to 63 characters of a-z, 0-9 and '-', not starting or ending with '-'");
        int slash = address.indexOf('/');
        require(slash > 0 && IPV4.matcher(address.substring(0, slash)).matches()
                && PREFIX.matcher(address.substring(slash + 1)).matches(), "address", address,
                "a dotted IPv4 address with a /prefix of 1 to 32");
        require(IPV4.matcher(gateway).matches(), "gateway", gateway, "a dotted IPv4 address");
        require(!dns.isEmpty() && dns.size() <= 3 && dns.stream().allMatch(ip -> IPV4.matcher(ip).matches()), "dns",
                String.join(",", dns), "1 to 3 dotted IPv4 addresses");
        require(MAC.matcher(mac).matches(), "mac", mac,
                "six lower-case hex pairs separated by ':', unicast (the first octet even)");
        require(MACHINE_ID.matcher(machineId).matches() && !machineId.chars().allMatch(c -> c == '0'), "machineId",
                machineId, "32 lower-case hex digits, not all zero");
        require(clock.getEpochSecond() >= 0 && clock.getEpochSecond() <= MAX_CLOCK_SECONDS, "clock", clock.toString(),
                "a time after 1970");
        if (entropy.length != ENTROPY_BYTES) {
            throw new IllegalArgumentException("entropy: must be " + ENTROPY_BYTES + " bytes, got " + entropy.length);
        }
    }

    private static void require(boolean ok, String field, String value, String what) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": must be " + what + ", got '" + value + "'");
        }
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
