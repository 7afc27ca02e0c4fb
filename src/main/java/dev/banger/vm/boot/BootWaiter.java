package dev.banger.vm.boot;

import dev.banger.agent.AgentClient;
import dev.banger.agent.HttpAgentClient;
import dev.banger.host.LogTail;
import dev.banger.model.Deadline;
import dev.banger.model.ErrorKind;
import dev.banger.model.HealthReport;
import dev.banger.vm.state.VmException;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a booting guest, each wait bounded by its deadline and polling fast (the poll
 * interval, not the boot, dominates create-to-SSH time otherwise): first the agent's health over
 * its channel, then sshd answering on the guest address, then the image's declared services as
 * the agent reports them. Every poll first checks that the VMM still runs, so a guest that died
 * fails at once with the end of its console log instead of at the deadline. Thread-safe.
 */
public final class BootWaiter {
    public static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PROBE = Duration.ofSeconds(2);
    private static final int CONSOLE_TAIL_BYTES = 4096;

    /** The port guests' sshd listens on. */
    public static final int SSH_PORT = 22;

    private final Vmm vmm;
    private final int agentPort;
    private final int sshPort;

    /** @param sshPort the TCP port probed for sshd; {@link #SSH_PORT} except in tests, which listen on a free port */
    BootWaiter(Vmm vmm, int agentPort, int sshPort) {
        this.vmm = vmm;
        this.agentPort = agentPort;
        this.sshPort = sshPort;
    }

    public AgentClient agent(VmmInstance instance) {
        return switch (instance.agentTransport()) {
            case HYBRID_VSOCK -> HttpAgentClient.overHybridVsock(instance.agentSocket(), agentPort);
            case UNIX_STREAM -> HttpAgentClient.overUnixSocket(instance.agentSocket());
        };
    }

    /** The first health report the agent gives. */
    HealthReport awaitAgent(String vm, VmmInstance instance, Duration deadline) {
        AgentClient client = agent(instance);
        return poll(vm, instance, "the guest agent to answer", deadline, () -> {
            try {
                return Optional.of(client.health(PROBE));
            } catch (RuntimeException notYet) {
                return Optional.empty();
            }
        });
    }

    /**
     * sshd accepting TCP connections on the guest address, with the work disk mounted at
     * {@code /root} (the agent's view first, then a real connect).
     */
    HealthReport awaitSsh(String vm, VmmInstance instance, String ip, Duration deadline) {
        AgentClient client = agent(instance);
        return poll(vm, instance, "sshd on " + ip + ":" + sshPort + " and /root mounted", deadline, () -> {
            HealthReport report;
            try {
                report = client.health(PROBE);
            } catch (RuntimeException notYet) {
                return Optional.empty();
            }
            return sshdReady(report) && connects(ip) ? Optional.of(report) : Optional.empty();
        });
    }

    /** sshd accepting TCP connections on the guest address, once the agent has already seen it and {@code /root}. */
    void awaitSshPort(String vm, VmmInstance instance, String ip, Duration deadline) {
        poll(vm, instance, "sshd on " + ip + ":" + sshPort, deadline, () -> connects(ip) ? Optional.of(true) : Optional.empty());
    }

    /** The agent sees sshd listening and {@code /root} mounted (or no work disk). */
    static boolean sshdReady(HealthReport report) {
        boolean workDiskReady = report.workDisk() == null || report.workDisk().mounted();
        return report.listening("sshd") && workDiskReady;
    }

    private boolean connects(String ip) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, sshPort), (int) PROBE.toMillis());
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * A guest with no address yet (a golden snapshot's) ready as the agent sees it: sshd and every
     * named service listening, {@code /root} mounted.
     */
    public HealthReport awaitReadyUnaddressed(String vm, VmmInstance instance, List<String> services, Duration deadline) {
        AgentClient client = agent(instance);
        return poll(vm, instance, "the agent, sshd, /root and services " + services, deadline, () -> {
            try {
                HealthReport report = client.health(PROBE);
                return sshdReady(report) && services.stream().allMatch(report::listening)
                        ? Optional.of(report) : Optional.empty();
            } catch (RuntimeException notYet) {
                return Optional.empty();
            }
        });
    }

    /** Every named service listening, as the agent reports them; returns the last report. */
    HealthReport awaitServices(String vm, VmmInstance instance, List<String> services, Duration deadline) {
        AgentClient client = agent(instance);
        return poll(vm, instance, "services " + services, deadline, () -> {
            try {
                HealthReport report = client.health(PROBE);
                return services.stream().allMatch(report::listening) ? Optional.of(report) : Optional.empty();
            } catch (RuntimeException notYet) {
                return Optional.empty();
            }
        });
    }

    private <T> T poll(String vm, VmmInstance instance, String what, Duration deadline, Supplier<Optional<T>> probe) {
        Deadline end = Deadline.after(deadline);
        while (true) {
            if (!vmm.isAlive(instance)) {
                throw new VmException(ErrorKind.INTERNAL, "VM '" + vm + "': the " + vmm.name() + " process exited while"
                        + " waiting for " + what + ". Console log tail:\n" + consoleTail(vmm.consoleLog(instance.vmDir())));
            }
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (end.expired()) {
                throw new VmException(ErrorKind.INTERNAL, "VM '" + vm + "': gave up waiting " + deadline.toSeconds()
                        + " s for " + what + ". Console log tail:\n" + consoleTail(vmm.consoleLog(instance.vmDir())));
            }
            try {
                end.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VmException.failed("VM '" + vm + "': interrupted while waiting for " + what);
            }
        }
    }

    /** The last few KiB of a console log, for error messages. */
    static String consoleTail(Path log) {
        if (!Files.isRegularFile(log)) {
            return "(no console log at " + log + ")";
        }
        try {
            return LogTail.read(log, CONSOLE_TAIL_BYTES).text().strip();
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
