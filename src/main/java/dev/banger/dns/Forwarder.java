package dev.banger.dns;

import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/** Sends a question that is not ours to an upstream resolver. Implementations are thread-safe. */
interface Forwarder {
    /**
     * The upstream's response to {@code question}.
     *
     * @throws IOException when no upstream answered within the deadline
     */
    Message forward(Record question) throws IOException;
}
