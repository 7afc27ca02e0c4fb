package dev.banger.vm.boot;

import dev.banger.agent.AgentClient;
import dev.banger.agent.GuestIdentity;
import dev.banger.guestconfig.GuestConfig;
import dev.banger.model.HealthReport;
import dev.banger.vm.host.GuestStartGate;
import dev.banger.vm.host.HostKeys;
import dev.banger.vm.state.VmException;
import java.net.Inet4Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity stage of a restored VM: once the creates begun alongside have their machines loaded
 * or started too ({@link GuestStartGate}) and the host services the guest needs are ready, the
 * restored guest runs again and its agent answers (else, as for a snapshot that does not load, a
 * {@link RestoreFailedException}: the create boots cold instead). Every restored guest starts as a
 * copy of its snapshot, so before anyone can reach it the daemon sends it this VM's own hostname,
 * address, MAC, SSH host key (made here and pinned), machine-id, clock and fresh entropy over the
 * host-only agent channel, and checks the guest took them; only then does its TAP join the bridge.
 * A failure there fails the create: a guest is never left running with another VM's identity.
 */
final class IdentityStep implements BootStep {
    /** A restored agent answers within a second; this bounds a snapshot that loads but never runs. */
    static final Duration AGENT_DEADLINE = Duration.ofSeconds(20);
    /** Applying takes a few hundred milliseconds under emulation (the agent's files and network). */
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(IdentityStep.class);
    private static final Duration CHECK = Duration.ofSeconds(5);
    private static final int ENTROPY_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Machines machines;
    private final IdentityParts parts;

    IdentityStep(Machines machines, IdentityParts parts) {
        this.machines = machines;
        this.parts = parts;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.IDENTITY;
    }

    @Override
    public void run(BootJob job) {
        if (job.cohort != null && !job.cohort.leaveAndAwaitCohort()) {
            LOG.info("VM {}: creates begun alongside it are still on their host side after {} ms; its guest runs now",
                    job.name(), GuestStartGate.HOLD.toMillis());
        }
        machines.awaitReady(machines.context(job.vm, job.runtime.get()));
        try {
            job.vmm.resume(job.instance);
            if (job.awaitGuest) {
                job.waiter.awaitAgent(job.name(), job.instance, AGENT_DEADLINE);
            }
        } catch (RuntimeException e) {
            throw new RestoreFailedException(job.restoring, e);
        }
        LOG.info("VM {}: restored from {}", job.name(), job.restoring);
        GuestIdentity identity = identity(job);
        if (job.awaitGuest) {
            AgentClient agent = job.waiter.agent(job.instance);
            agent.applyIdentity(identity, DEADLINE);
            HealthReport report = agent.health(CHECK);
            check(job.name(), identity, report);
            job.ready = report;
        }
        parts.taps().attach(job.runtime.get().tap());
        parts.snapshots().restored(job.restoring);
    }

    private GuestIdentity identity(BootJob job) {
        GuestConfig guest = machines.guestConfig(job.vm, job.image, job.runtime.get());
        String address = guest.address().map(Object::toString)
                .orElseThrow(() -> VmException.failed("VM '" + job.name() + "' has no address to give its restored guest"));
        String gateway = guest.gateway().map(Inet4Address::getHostAddress)
                .orElseThrow(() -> VmException.failed("VM '" + job.name() + "' has no gateway to give its restored guest"));
        byte[] machineId = new byte[16];
        byte[] entropy = new byte[ENTROPY_BYTES];
        RANDOM.nextBytes(machineId);
        RANDOM.nextBytes(entropy);
        return new GuestIdentity(guest.hostname(), address, gateway, guest.resolvers().stream().map(Inet4Address::getHostAddress).toList(),
                job.vm.network().mac(), HexFormat.of().formatHex(machineId), Instant.now(), entropy,
                parts.keys().of(job.runtime.get().vmDir()), job.diskBytes > job.restoring.meta().workBytes());
    }

    /** The guest reports this VM's hostname and exactly the host key made for it. */
    static void check(String vm, GuestIdentity identity, HealthReport report) {
        List<String> keys = report.hostKeys().stream().map(HostKeys::publicLine).toList();
        if (!identity.hostname().equals(report.hostname()) || !keys.equals(List.of(identity.hostKey().publicKey()))) {
            throw VmException.failed("VM '" + vm + "': its restored guest did not take its identity: it reports hostname '"
                    + report.hostname() + "' and host keys " + keys);
        }
    }
}
