package dev.banger.model;

import java.time.Instant;

/** What {@code daemon.status} reports about the running daemon. */
public record DaemonStatus(
        long pid,
        String version,
        Instant startedAt,
        long uptimeSeconds,
        String socket,
        String stateDir,
        String runtimeDir,
        String cacheDir,
        int schemaVersion,
        int images,
        int vms) {}
