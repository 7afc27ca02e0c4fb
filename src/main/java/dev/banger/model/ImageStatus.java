package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a registered image can be used to create VMs as it is. */
public enum ImageStatus {
    /** Complete and verified: VMs can be created from it. */
    READY,
    /** Usable parts are missing or stale (for example its work seed); rebuild or re-register it. */
    NEEDS_REBUILD,
    /**
     * Usable, but it has no work seed: the next VM create builds {@code /root} from the rootfs the
     * slow way and then records a seed, so later creates clone it.
     */
    NEEDS_WORK_SEED;

    /**
     * The stable lower-case, hyphenated name: what the text output prints, what {@code --json} and the
     * wire carry, and what the database holds.
     */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** The constant of a wire name; the upper-case Java name, which older daemons sent, is read too. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ImageStatus fromWireName(String word) {
        return WireNames.parse(ImageStatus.class, word);
    }
}
