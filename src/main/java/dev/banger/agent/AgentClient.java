package dev.banger.agent;

import dev.banger.model.HealthReport;
import java.time.Duration;

/**
 * The seam to one guest's agent. Implementations must be safe for concurrent use; each call opens
 * its own connection. Tests replace it with a fake that returns scripted reports.
 */
public interface AgentClient {
    /**
     * Asks the agent for its health report; the whole call (connect, handshake, request, answer)
     * finishes within {@code deadline}.
     *
     * @throws AgentException naming the step that failed or ran out of time
     */
    HealthReport health(Duration deadline);
}
