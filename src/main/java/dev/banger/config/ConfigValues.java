package dev.banger.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pure checks for the string-shaped config values. Each returns the parsed value or throws a
 * {@link ConfigException} whose message is the reason alone; the loader adds file and key.
 */
final class ConfigValues {
    /** Linux allows more, but these are the characters that survive every tool and shell unquoted. */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern GROUP = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern IMAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.-]+)?");
    private static final Pattern PROGRAM_NAME = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Set<String> URL_SCHEMES = Set.of("http", "https", "file");

    private ConfigValues() {
    }

    static String interfaceName(String value) {
        if (value.length() > 15) {
            throw new ConfigException(quote(value) + " is " + value.length()
                    + " characters long: Linux interface names are at most 15");
        }
        if (!IFNAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new ConfigException(quote(value) + " is not a valid interface name: use 1-15 letters, digits, '-', '_' or '.'");
        }
        return value;
    }

    static String dnsDomain(String value) {
        if (value.isEmpty() || value.length() > 253) {
            throw new ConfigException(quote(value) + " is not a DNS domain: it must be 1-253 characters, e.g. banger.internal");
        }
        for (String label : value.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw new ConfigException(quote(value) + " is not a DNS domain: each dot-separated label must be 1-63 "
                        + "lowercase letters, digits or inner hyphens, e.g. banger.internal");
            }
        }
        return value;
    }

    static String groupName(String value) {
        if (!GROUP.matcher(value).matches()) {
            throw new ConfigException(quote(value) + " is not a valid group name: use up to 32 lowercase letters, "
                    + "digits, '_' or '-', starting with a letter or '_'");
        }
        return value;
    }

    static String imageName(String value) {
        if (!IMAGE_NAME.matcher(value).matches()) {
            throw new ConfigException(quote(value) + " is not a valid image name: use up to 63 lowercase letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    /** An exact package version such as {@code 1.18.33}: images pin what they install. */
    static String exactVersion(String value) {
        if (!EXACT_VERSION.matcher(value).matches()) {
            throw new ConfigException(quote(value) + " is not an exact version: use digits and dots such as 1.2.3"
                    + " (ranges and tags like 'latest' would make image builds unrepeatable)");
        }
        return value;
    }

    static Path absolutePath(String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (RuntimeException e) {
            throw new ConfigException(quote(value) + " is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new ConfigException(quote(value) + " is not an absolute path: write the full path, starting with '/'");
        }
        return path.normalize();
    }

    static String program(String value) {
        if (value.startsWith("/")) {
            return absolutePath(value).toString();
        }
        if (!PROGRAM_NAME.matcher(value).matches()) {
            throw new ConfigException(quote(value)
                    + " is neither a program name (looked up on PATH) nor an absolute path");
        }
        return value;
    }

    static URI url(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(quote(value) + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !URL_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))
                || (!scheme.equalsIgnoreCase("file") && (uri.getHost() == null || uri.getHost().isEmpty()))) {
            throw new ConfigException(quote(value) + " is not an http, https or file URL, e.g. http://mirror.example/debian");
        }
        return uri;
    }

    static String quote(String value) {
        return "\"" + value + "\"";
    }
}
