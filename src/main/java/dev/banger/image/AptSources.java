package dev.banger.image;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Debian mirror the host's own apt configuration uses, so image builds fetch from wherever the
 * host already does and banger never names a mirror of its own. Reads one-line
 * ({@code sources.list}, {@code *.list}) and deb822 ({@code *.sources}) files; the first binary
 * ({@code deb}) entry whose suite is the wanted release wins. Parsing is pure; {@link #read} only
 * lists and reads files. Stateless and thread-safe.
 */
public final class AptSources {
    private AptSources() {}

    /** One apt source: where and which suites. */
    record Entry(URI uri, List<String> suites) {}

    /**
     * The mirror for {@code release} configured under {@code aptDir} (normally {@code /etc/apt}).
     *
     * @throws ImageException when no entry serves that release, naming the files read
     */
    public static URI mirrorFor(Path aptDir, String release) {
        List<Path> files = new ArrayList<>();
        Path list = aptDir.resolve("sources.list");
        if (Files.isRegularFile(list)) {
            files.add(list);
        }
        Path dir = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> p.getFileName().toString().endsWith(".list") || p.getFileName().toString().endsWith(".sources"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw ImageException.io("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        for (Path file : files) {
            Optional<URI> found = find(read(file), file.getFileName().toString().endsWith(".sources"), release);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw ImageException.precondition("no apt source for Debian '" + release + "' in " + files
                + "; add one to the host's apt configuration or set [image] debian_mirror in the banger config");
    }

    /** The first binary entry of a file's text that serves {@code release}. */
    static Optional<URI> find(String text, boolean deb822, String release) {
        List<Entry> entries = deb822 ? parseDeb822(text) : parseOneLine(text);
        return entries.stream().filter(e -> e.suites().contains(release)).map(Entry::uri).findFirst();
    }

    /** {@code deb [options] URI suite [components...]} lines; {@code deb-src} and comments are skipped. */
    static List<Entry> parseOneLine(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = stripComment(raw);
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) {
                continue;
            }
            String rest = line.substring(3).strip();
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    continue;
                }
                rest = rest.substring(close + 1).strip();
            }
            String[] words = rest.split("\\s+");
            if (words.length >= 2) {
                uri(words[0]).ifPresent(uri -> entries.add(new Entry(uri, List.of(words[1]))));
            }
        }
        return entries;
    }

    /** deb822 stanzas separated by blank lines; {@code Enabled: no} stanzas are skipped. */
    static List<Entry> parseDeb822(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String stanza : text.split("\\R\\s*\\R")) {
            List<String> types = List.of();
            List<String> uris = List.of();
            List<String> suites = List.of();
            boolean enabled = true;
            for (String raw : stanza.split("\\R")) {
                String line = stripComment(raw);
                int colon = line.indexOf(':');
                if (colon <= 0 || raw.startsWith(" ") || raw.startsWith("\t")) {
                    continue;
                }
                String field = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
                List<String> values = List.of(line.substring(colon + 1).strip().split("\\s+"));
                switch (field) {
                    case "types" -> types = values;
                    case "uris" -> uris = values;
                    case "suites" -> suites = values;
                    case "enabled" -> enabled = !values.getFirst().equalsIgnoreCase("no");
                    default -> { }
                }
            }
            if (enabled && types.contains("deb")) {
                for (String u : uris) {
                    List<String> s = suites;
                    uri(u).ifPresent(uri -> entries.add(new Entry(uri, s)));
                }
            }
        }
        return entries;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).strip();
    }

    private static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equals("http") || scheme.equals("https") || scheme.equals("file"))
                    ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw ImageException.io("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
