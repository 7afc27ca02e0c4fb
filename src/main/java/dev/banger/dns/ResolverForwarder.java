package dev.banger.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards through dnsjava's {@link ExtendedResolver}: each upstream gets one try with an equal
 * share of the total timeout, in order, and dnsjava retries truncated UDP answers over TCP. The
 * total is also enforced here, since dnsjava only checks its own total between tries.
 * Thread-safe: dnsjava's resolvers are, once configured.
 */
final class ResolverForwarder implements Forwarder {
    private static final Duration MIN_TRY = Duration.ofMillis(100);

    private final ExtendedResolver resolver;
    private final List<InetSocketAddress> upstreams;
    private final Duration total;

    ResolverForwarder(List<InetSocketAddress> upstreams, Duration total) {
        this.upstreams = List.copyOf(upstreams);
        this.total = total;
        Duration perTry = upstreams.isEmpty() ? total : total.dividedBy(upstreams.size());
        if (perTry.compareTo(MIN_TRY) < 0) {
            perTry = MIN_TRY;
        }
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress upstream : upstreams) {
            SimpleResolver simple = new SimpleResolver(upstream);
            simple.setTimeout(perTry);
            resolvers.add(simple);
        }
        resolver = new ExtendedResolver(resolvers);
        resolver.setRetries(1);
        resolver.setLoadBalance(false);
        resolver.setTimeout(total);
    }

    @Override
    public Message forward(Record question) throws IOException {
        if (upstreams.isEmpty()) {
            throw new IOException("no upstream resolvers configured");
        }
        CompletableFuture<Message> reply = resolver.sendAsync(Message.newQuery(question)).toCompletableFuture();
        try {
            return reply.get(total.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw new IOException("no answer from " + upstreams + " within " + total.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new IOException("forwarding to " + upstreams + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + upstreams, e);
        }
    }
}
