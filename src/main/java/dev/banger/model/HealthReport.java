package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guest agent said about its VM, as returned by {@code GET /healthz}. An agent that only
 * speaks the old line protocol answers {@code PING} with {@code PONG}; such a report is
 * {@link #legacy()}, says the guest is up and nothing more, so its other fields are empty.
 * Immutable value.
 *
 * @param status        overall verdict: {@link Status#DEGRADED} when sshd is not listening
 * @param legacy        true when the agent only answered the legacy {@code PING} line protocol
 * @param bootId        the guest kernel's boot id (changes on every boot), or null when unknown
 * @param uptime        time since the guest kernel booted, or null when unknown
 * @param hostname      the guest's hostname, or null when unknown
 * @param services      well-known services by name ({@code sshd}, {@code opencode})
 * @param workDisk      whether the persistent work disk is mounted, or null when unknown
 * @param hostKeys      the guest's SSH host public keys, one {@code known_hosts}-style line each
 * @param agentVersion  the agent's own version, or null when it did not say
 */
public record HealthReport(
        Status status,
        boolean legacy,
        String bootId,
        Duration uptime,
        String hostname,
        Map<String, Service> services,
        WorkDisk workDisk,
        List<String> hostKeys,
        String agentVersion) {

    /** The agent's overall verdict. */
    public enum Status {
        OK,
        DEGRADED;

        /** The stable lower-case name: what {@code banger vm health} prints and {@code --json} carries. */
        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        /** The constant of a wire name; the upper-case Java name, which older daemons sent, is read too. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Status fromWireName(String word) {
            return WireNames.parse(Status.class, word);
        }
    }

    /**
     * One TCP service the agent watches.
     *
     * @param port      the guest port it should listen on
     * @param listening whether a socket is in LISTEN state on that port
     */
    public record Service(int port, boolean listening) {}

    /**
     * The persistent work disk.
     *
     * @param mountPoint where it should be mounted in the guest
     * @param mounted    whether something is mounted there
     */
    public record WorkDisk(String mountPoint, boolean mounted) {
        public WorkDisk {
            Objects.requireNonNull(mountPoint, "mountPoint");
        }
    }

    public HealthReport {
        Objects.requireNonNull(status, "status");
        services = Map.copyOf(services);
        hostKeys = List.copyOf(hostKeys);
    }

    /** The report for an agent that answered {@code PONG} to {@code PING}: alive, details unknown. */
    public static HealthReport legacyPong() {
        return new HealthReport(Status.OK, true, null, null, null, Map.of(), null, List.of(), null);
    }

    /** The named service, when the agent reported it. */
    public Optional<Service> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Whether the agent saw the named service listening; false when it did not report it. */
    public boolean listening(String name) {
        return service(name).map(Service::listening).orElse(false);
    }
}
