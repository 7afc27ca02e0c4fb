package dev.banger.cli;

import dev.banger.model.BangerVersion;
import picocli.CommandLine;

/** {@code banger --version}. Kept trivial: it is the start-up time benchmark. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"banger " + BangerVersion.get()};
    }
}
