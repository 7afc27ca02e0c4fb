package dev.banger.agent;

import dev.banger.model.HealthReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's {@code /healthz} JSON exactly as the guest writes it, kept apart from
 * {@link HealthReport} so the wire format (names, units) can evolve without touching the model.
 * Immutable.
 */
record HealthJson(
        String status,
        String bootId,
        Double uptimeSeconds,
        String hostname,
        Map<String, ServiceJson> services,
        WorkDiskJson workDisk,
        List<String> hostKeys,
        String agentVersion) {

    record ServiceJson(Integer port, Boolean listening) {}

    record WorkDiskJson(String mountPoint, Boolean mounted) {}

    /**
     * The model's view. A status this host does not know (a newer agent's) counts as degraded: only
     * an explicit {@code ok} may let a caller proceed.
     */
    HealthReport toReport() {
        if (status == null) {
            throw new IllegalArgumentException("the report has no status");
        }
        HealthReport.Status verdict = "ok".equals(status.toLowerCase(Locale.ROOT))
                ? HealthReport.Status.OK
                : HealthReport.Status.DEGRADED;
        Map<String, HealthReport.Service> watched = new LinkedHashMap<>();
        if (services != null) {
            services.forEach((name, service) -> {
                if (name != null && service != null && service.port() != null) {
                    watched.put(name, new HealthReport.Service(service.port(), Boolean.TRUE.equals(service.listening())));
                }
            });
        }
        HealthReport.WorkDisk disk = workDisk == null || workDisk.mountPoint() == null
                ? null
                : new HealthReport.WorkDisk(workDisk.mountPoint(), Boolean.TRUE.equals(workDisk.mounted()));
        Duration uptime = uptimeSeconds == null || uptimeSeconds.isNaN() || uptimeSeconds < 0
                ? null
                : Duration.ofMillis(Math.round(uptimeSeconds * 1000));
        List<String> keys = hostKeys == null ? List.of() : hostKeys.stream().filter(k -> k != null).toList();
        return new HealthReport(verdict, false, bootId, uptime, hostname, watched, disk, keys, agentVersion);
    }
}
