package dev.banger.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code POST /identity} wire format the guest agent parses (guest/agent/src/identity.c):
 * LF-separated {@code key=value} lines, every key once, and what its answers mean. Pure functions.
 */
final class IdentityWire {
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    /** The agent keeps the last 4 KiB of the apply program's output and sends about 1 KiB of it. */
    private static final int MAX_ERROR = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private IdentityWire() {}

    /** The request body for {@code identity}; it carries the private key, so it is never logged. */
    static byte[] body(GuestIdentity identity) {
        String clock = identity.clock().getEpochSecond() + "." + String.format("%09d", identity.clock().getNano());
        String text = "hostname=" + identity.hostname() + "\n"
                + "address=" + identity.address() + "\n"
                + "gateway=" + identity.gateway() + "\n"
                + "dns=" + String.join(",", identity.dns()) + "\n"
                + "mac=" + identity.mac() + "\n"
                + "machine_id=" + identity.machineId() + "\n"
                + "clock=" + clock + "\n"
                + "entropy=" + HexFormat.of().formatHex(identity.entropy()) + "\n"
                + "host_key_ed25519=" + Base64.getEncoder().encodeToString(
                        identity.hostKey().privateKey().getBytes(StandardCharsets.UTF_8)) + "\n"
                + "host_key_ed25519_pub=" + identity.hostKey().publicKey() + "\n"
                + "grow_root=" + (identity.growRoot() ? "yes" : "no") + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns when the agent applied the identity; otherwise throws saying what the guest said and what to do. */
    static void check(AgentHttp.Result result, GuestIdentity identity, String target) {
        if (!(result instanceof AgentHttp.Answer answer)) {
            throw refused(target, "did not answer POST /identity over HTTP (" + ((AgentHttp.NotHttp) result).why()
                    + "); its agent predates identities: rebuild the image and its snapshot");
        }
        String error = error(answer);
        String status = answer.code() + " " + answer.reasonPhrase();
        switch (answer.code()) {
            case 200 -> {
                if (!applied(answer)) {
                    throw refused(target, "answered POST /identity with 200 but not {\"applied\":true}: "
                            + ChannelIo.printable(answer.text()));
                }
            }
            case 400 -> throw refused(target, "refused the identity of " + identity.hostname() + ": " + error
                    + " (400); the daemon and the guest disagree on the format: is the image's agent current?");
            case 403 -> throw refused(target, "refused the identity: this channel is not the host side of the guest ("
                    + status + ": " + error + ")");
            case 404, 405 -> throw refused(target, "does not accept POST /identity (" + status
                    + "); its agent predates identities: rebuild the image and its snapshot");
            case 413 -> throw refused(target, "refused the identity as too large (" + status + ": " + error + ")");
            case 500 -> throw refused(target, "failed to apply the identity of " + identity.hostname() + ": " + error
                    + " (500)");
            default -> throw refused(target, "answered POST /identity with " + status + ": " + error);
        }
    }

    private static AgentException refused(String target, String what) {
        return new AgentException(AgentException.Reason.PROTOCOL, "agent at " + target + " " + what);
    }

    /** The agent's {@code {"error":"<field or step>: <reason>"}}, quoted safely, or the raw body. */
    private static String error(AgentHttp.Answer answer) {
        try {
            JsonNode node = JSON.readTree(answer.body());
            if (node != null && node.path("error").isTextual()) {
                return ChannelIo.printable(node.get("error").asText(), MAX_ERROR);
            }
        } catch (IOException e) {
            // Not JSON: quote it as it came.
        }
        return ChannelIo.printable(answer.text(), MAX_ERROR);
    }

    private static boolean applied(AgentHttp.Answer answer) {
        try {
            JsonNode node = JSON.readTree(answer.body());
            return node != null && node.path("applied").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
