package dev.banger.vm.boot;

import dev.banger.vm.host.HostKeys;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.snapshot.GoldenSnapshots;

/** What the identity stage of a restore needs of the host: the TAPs, the host keys, and the snapshots whose restores it counts. */
public record IdentityParts(HostTaps taps, HostKeys keys, GoldenSnapshots snapshots) {}
