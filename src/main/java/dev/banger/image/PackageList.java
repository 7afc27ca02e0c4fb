package dev.banger.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code config/packages.<distro>} file: the ordered baseline of packages an image
 * installs. Each line is {@code <package>  # <meaning> [<profile>,...]}; {@code #} lines and blank
 * lines are ignored; a package of {@code -} records a meaning this distro covers with another
 * package. Every distro's list has the same meanings in the same order, so lists can be compared
 * line by line. Immutable and thread-safe.
 */
public final class PackageList {
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]*");
    private static final Pattern LINE = Pattern.compile(
            "(?<name>\\S+)\\s+#\\s*(?<meaning>\\S+)\\s*(?:\\[(?<tags>[^\\]]*)\\])?\\s*");
    private static final Pattern MEANING = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final String source;
    private final List<PackageEntry> entries;

    private PackageList(String source, List<PackageEntry> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses a package list. {@code source} names the file in error messages.
     *
     * @throws ImageException naming {@code source} and the line for a bad package name, a missing
     *                        meaning, an unknown profile tag, or a package or meaning listed twice
     */
    public static PackageList parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        List<PackageEntry> entries = new ArrayList<>();
        Map<String, Integer> packageLines = new HashMap<>();
        Map<String, Integer> meaningLines = new HashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            PackageEntry entry = parseLine(line, source, number);
            entry.name().ifPresent(name -> {
                Integer first = packageLines.putIfAbsent(name, number);
                if (first != null) {
                    throw error(source, number, "package '" + name + "' is already listed on line " + first
                            + "; remove one of the two lines");
                }
            });
            Integer firstMeaning = meaningLines.putIfAbsent(entry.meaning(), number);
            if (firstMeaning != null) {
                throw error(source, number, "meaning '" + entry.meaning() + "' is already used on line "
                        + firstMeaning + "; each meaning names one line so the distro lists stay aligned");
            }
            entries.add(entry);
        }
        return new PackageList(source, entries);
    }

    /** The baseline shipped with this banger ({@code config/packages.<distro>}, packed into the jar). */
    public static PackageList bundled(Distro distro) {
        String name = distro.packageFileName();
        try (java.io.InputStream in = PackageList.class.getResourceAsStream(name)) {
            if (in == null) {
                throw ImageException.io("this banger was built without config/" + name, null);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "config/" + name);
        } catch (IOException e) {
            throw ImageException.io("cannot read the bundled config/" + name + ": " + e.getMessage(), e);
        }
    }

    /** Reads and parses a package list file; the file's path is the error-message source. */
    public static PackageList read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw ImageException.io("cannot read package list " + file + ": " + e.getMessage(), e);
        }
    }

    private static PackageEntry parseLine(String line, String source, int number) {
        if (!line.contains("#")) {
            throw error(source, number, "'" + line + "' has no meaning; write it as '<package>  # <meaning>'");
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw error(source, number, "cannot read '" + line
                    + "'; write it as '<package>  # <meaning>' with an optional '[dev]' tag");
        }
        String name = m.group("name");
        if (!name.equals("-") && !PACKAGE.matcher(name).matches()) {
            throw error(source, number, "'" + name + "' is not a package name (expected " + PACKAGE.pattern() + ")");
        }
        String meaning = m.group("meaning");
        if (!MEANING.matcher(meaning).matches()) {
            throw error(source, number, "'" + meaning + "' is not a meaning key (expected " + MEANING.pattern() + ")");
        }
        Set<Profile> profiles = m.group("tags") == null ? EnumSet.allOf(Profile.class) : tags(m.group("tags"), source, number);
        return new PackageEntry(name.equals("-") ? Optional.empty() : Optional.of(name), meaning, profiles, number);
    }

    private static Set<Profile> tags(String text, String source, int number) {
        Set<Profile> profiles = EnumSet.noneOf(Profile.class);
        for (String tag : text.split(",")) {
            String id = tag.strip();
            try {
                profiles.add(Profile.fromId(id));
            } catch (ImageException e) {
                throw error(source, number, "tag [" + id + "]: " + e.getMessage());
            }
        }
        return profiles;
    }

    private static ImageException error(String source, int line, String message) {
        return ImageException.invalid(source + ":" + line + ": " + message);
    }

    /** Where this list came from (a file path or a label). */
    public String source() {
        return source;
    }

    /** Every entry in file order, placeholders included. */
    public List<PackageEntry> entries() {
        return entries;
    }

    /** The meaning keys in file order; equal across distros for lists that mirror each other. */
    public List<String> meanings() {
        return entries.stream().map(PackageEntry::meaning).toList();
    }

    /** The package names a {@code profile} image installs, in file order. */
    public List<String> forProfile(Profile profile) {
        Objects.requireNonNull(profile, "profile");
        return entries.stream().filter(e -> e.appliesTo(profile)).map(e -> e.name().orElseThrow()).toList();
    }
}
