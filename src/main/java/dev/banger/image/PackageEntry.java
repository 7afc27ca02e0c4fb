package dev.banger.image;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One line of a package list: the distro's package name, the distro-neutral meaning key that lines
 * it up with the other distros' lists, and the profiles that install it. Immutable value.
 *
 * @param name     the package to install, or empty when this distro has no separate package for the
 *                 meaning (written {@code -} in the file, e.g. Void's nodejs already ships npm)
 * @param meaning  distro-neutral key, e.g. {@code vcs}
 * @param profiles the profiles that install it; every profile when the line has no tag
 * @param line     1-based line number in its file, for error messages
 */
public record PackageEntry(Optional<String> name, String meaning, Set<Profile> profiles, int line) {
    public PackageEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(meaning, "meaning");
        profiles = profiles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(profiles));
    }

    /** Whether a {@code profile} image installs this entry's package. */
    public boolean appliesTo(Profile profile) {
        return name.isPresent() && profiles.contains(profile);
    }
}
