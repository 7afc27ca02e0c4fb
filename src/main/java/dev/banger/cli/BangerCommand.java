package dev.banger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code banger}: the root command; every subcommand is its own class. */
@Command(
        name = "banger",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Manage developer microVMs on this host.")
public final class BangerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required; see banger --help");
    }
}
