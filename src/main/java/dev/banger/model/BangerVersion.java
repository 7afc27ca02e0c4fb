package dev.banger.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build was stamped with (from the Maven project version). */
public final class BangerVersion {
    private static final String VERSION = load();

    private BangerVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BangerVersion.class.getResourceAsStream("/dev/banger/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
