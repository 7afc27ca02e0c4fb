package dev.banger.vm;

/**
 * {@code vm create} as asked: any part may be null and takes the configured default (a generated
 * name, the default image, {@code [vm]} sizes). Immutable value.
 *
 * @param slowPath take the slow path on purpose (a fresh TAP, {@code /root} built from the rootfs,
 *                 a full copy of the root disk), so {@code banger bench create --compare-slow-path}
 *                 can show what the fast paths save on the same host at the same moment
 */
public record CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, boolean slowPath) {
    /** An ordinary create, by the fast paths. */
    public CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib) {
        this(name, image, vcpus, memoryMib, diskGib, false);
    }
}
