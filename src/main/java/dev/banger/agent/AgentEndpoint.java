package dev.banger.agent;

/**
 * Where an agent is reached and how a connection to it is set up; after {@link #open} the
 * connection carries the agent protocol directly. Implementations are immutable.
 */
interface AgentEndpoint {
    /** Connects (and performs any handshake) within {@code deadline}. */
    ChannelIo open(Deadline deadline);

    /** For messages: the socket path and, where relevant, the port. */
    String describe();
}
