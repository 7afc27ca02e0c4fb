package dev.banger.model;

/** The answer to {@code daemon.shutdown}: the pid of the daemon that is going away. */
public record ShutdownAccepted(long pid) {}
