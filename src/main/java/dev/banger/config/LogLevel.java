package dev.banger.config;

import java.util.Locale;

/** The daemon's log threshold ({@code log_level}). */
public enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE;

    /** The spelling used in the config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
