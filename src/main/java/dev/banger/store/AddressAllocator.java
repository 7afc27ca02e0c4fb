package dev.banger.store;

import dev.banger.model.Ipv4Subnet;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Pure allocation rules: lowest free guest address, lowest free vsock CID, and the MAC that
 * belongs to an address. Stateless and thread-safe; the caller supplies what is in use and
 * serialises allocation (the store does so under its write lock).
 */
final class AddressAllocator {
    /** vsock CIDs 0, 1 and 2 are reserved (hypervisor, local, host). */
    static final long FIRST_GUEST_CID = 3;
    /** CIDs are 32-bit; the all-ones value means "any". */
    static final long LAST_GUEST_CID = 0xFFFF_FFFEL;

    private AddressAllocator() {}

    static OptionalInt lowestFreeAddress(Ipv4Subnet subnet, Set<Integer> used) {
        long first = Integer.toUnsignedLong(subnet.firstGuest());
        long last = Integer.toUnsignedLong(subnet.lastGuest());
        for (long candidate = first; candidate <= last; candidate++) {
            if (!used.contains((int) candidate)) {
                return OptionalInt.of((int) candidate);
            }
        }
        return OptionalInt.empty();
    }

    static long lowestFreeCid(Set<Long> used) {
        long candidate = FIRST_GUEST_CID;
        while (used.contains(candidate)) {
            candidate++;
        }
        if (candidate > LAST_GUEST_CID) {
            throw new IllegalStateException("no vsock CID left");
        }
        return candidate;
    }

    /**
     * A locally administered unicast MAC ({@code 02:bf:} plus the four address bytes): stable for
     * an address and unique as long as addresses are, which the store enforces.
     */
    static String macFor(int address) {
        return String.format(Locale.ROOT, "02:bf:%02x:%02x:%02x:%02x",
                address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff);
    }
}
