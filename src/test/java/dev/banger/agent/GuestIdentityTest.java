package dev.banger.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GuestIdentityTest {
    private static final String PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final String PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc";

    /** A valid identity's arguments, which each test bends one at a time. */
    private record Args(String hostname, String address, String gateway, List<String> dns, String mac, String machineId,
            Instant clock, byte[] entropy, String privateKey, String publicKey) {
        static Args valid() {
            return new Args("dev-1", "172.16.0.5/24", "172.16.0.1", List.of("1.1.1.1"), "02:fc:00:00:00:05",
                    "0123456789abcdef0123456789abcdef", Instant.ofEpochSecond(1_764_940_000L), new byte[64], PRIVATE_KEY,
                    PUBLIC_KEY);
        }

        GuestIdentity build() {
            return new GuestIdentity(hostname, address, gateway, dns, mac, machineId, clock, entropy,
                    new GuestIdentity.HostKeyPair(privateKey, publicKey), false);
        }
    }

    private static void refused(UnaryOperator<Args> bend, String message) {
        assertThatThrownBy(() -> bend.apply(Args.valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aValidIdentityIsAccepted() {
        GuestIdentity identity = Args.valid().build();

        assertThat(identity.hostname()).isEqualTo("dev-1");
        assertThat(identity.toString()).doesNotContain("PRIVATE").doesNotContain("entropy");
    }

    @Test
    void eachBadFieldIsRefusedNamingIt() {
        refused(a -> new Args("Dev1", a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(), a.entropy(),
                a.privateKey(), a.publicKey()), "hostname: must be 1 to 63 characters");
        refused(a -> new Args("-dev", a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(), a.entropy(),
                a.privateKey(), a.publicKey()), "hostname:");
        refused(a -> new Args("a".repeat(64), a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "hostname:");
        refused(a -> new Args(a.hostname(), "172.16.0.5", a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "address: must be a dotted IPv4 address with a /prefix");
        refused(a -> new Args(a.hostname(), "172.16.0.5/33", a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "address:");
        refused(a -> new Args(a.hostname(), "172.16.00.5/24", a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "address:");
        refused(a -> new Args(a.hostname(), a.address(), "172.16.0.256", a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "gateway:");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), List.of(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "dns: must be 1 to 3");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), List.of("1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"),
                a.mac(), a.machineId(), a.clock(), a.entropy(), a.privateKey(), a.publicKey()), "dns:");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), "03:fc:00:00:00:05", a.machineId(),
                a.clock(), a.entropy(), a.privateKey(), a.publicKey()), "mac: must be six lower-case hex pairs");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), "02:FC:00:00:00:05", a.machineId(),
                a.clock(), a.entropy(), a.privateKey(), a.publicKey()), "mac:");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), a.mac(), "0".repeat(32), a.clock(),
                a.entropy(), a.privateKey(), a.publicKey()), "machineId: must be 32 lower-case hex digits, not all zero");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(),
                Instant.ofEpochSecond(-1), a.entropy(), a.privateKey(), a.publicKey()), "clock:");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                new byte[32], a.privateKey(), a.publicKey()), "entropy: must be 64 bytes, got 32");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), "PRIVATE", a.publicKey()), "host key: the private key must be OpenSSH key file text");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), PRIVATE_KEY + "x".repeat(4096), a.publicKey()), "host key: the private key is over 4095 bytes");
        refused(a -> new Args(a.hostname(), a.address(), a.gateway(), a.dns(), a.mac(), a.machineId(), a.clock(),
                a.entropy(), a.privateKey(), PUBLIC_KEY + " root@dev1"), "with no comment");
    }
}
