package dev.banger.dns;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * Where the guest DNS server looks up guest addresses: the daemon's view of which VM has which
 * address. Called once per in-domain query, from many threads at once, so implementations must be
 * thread-safe and fast (an in-memory map, not a database round trip).
 */
@FunctionalInterface
public interface GuestRecords {
    /**
     * The IPv4 address of the VM called {@code vmName}, or empty when there is no such VM.
     *
     * @param vmName the first label of the queried name, lower-cased ({@code dev1} for
     *               {@code DEV1.banger.internal.}); it may be any DNS label, not only a valid VM name
     */
    Optional<Inet4Address> addressOf(String vmName);
}
