package dev.banger.rpc;

/** Who is calling: the peer's user and primary group as the kernel reported them (SO_PEERCRED). */
public record CallContext(String user, String group) {
    public static final CallContext INTERNAL = new CallContext("root", "root");
}
