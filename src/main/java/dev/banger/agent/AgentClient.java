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

    /**
     * Gives a restored guest its identity ({@code POST /identity}) and returns once the guest has
     * applied all of it; applying the same identity twice is harmless. The whole call finishes within
     * {@code deadline}.
     *
     * @throws AgentException when the agent refuses a field, fails to apply one, or runs out of time
     */
    default void applyIdentity(GuestIdentity identity, Duration deadline) {
        throw new UnsupportedOperationException("this agent client does not send identities");
    }

    /**
     * Has the guest write its dirty pages to its disks ({@code POST /sync}), before the host saves
     * it as a golden snapshot; returns once they are written. The whole call finishes within
     * {@code deadline}.
     *
     * @throws AgentException when the agent refuses or does not answer in time
     */
    default void sync(Duration deadline) {
        throw new UnsupportedOperationException("this agent client does not sync guests");
    }
}
