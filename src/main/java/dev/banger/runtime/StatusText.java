package dev.banger.runtime;

import java.util.List;
import java.util.stream.Collectors;

/** Human wording for artifact problems, shared by packager, installer, CLI and doctor. Pure; thread-safe. */
public final class StatusText {
    private StatusText() {}

    /** e.g. {@code kernel-vmlinux sum mismatch (expected ab…, actual cd…); initrd missing}. */
    public static String describe(List<ArtifactStatus> problems) {
        return problems.stream().map(StatusText::describe).collect(Collectors.joining("; "));
    }

    public static String describe(ArtifactStatus s) {
        return switch (s.state()) {
            case OK -> s.name() + " ok";
            case MISSING -> s.name() + " missing" + (s.optional() ? " (optional)" : "");
            case MISMATCH -> s.name() + " sum mismatch (expected " + s.expected() + ", actual " + s.actual() + ")";
        };
    }
}
