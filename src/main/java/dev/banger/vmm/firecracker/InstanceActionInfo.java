package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PUT /actions}: boot the configured machine, or press Ctrl-Alt-Del in it. Immutable value. */
public record InstanceActionInfo(@JsonProperty("action_type") ActionType actionType) {

    /** The actions banger uses, spelled as Firecracker's API wants them. */
    public enum ActionType {
        @JsonProperty("InstanceStart") INSTANCE_START,
        @JsonProperty("SendCtrlAltDel") SEND_CTRL_ALT_DEL
    }
}
