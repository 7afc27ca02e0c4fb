package dev.banger.host.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.model.ErrorKind;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON that {@code ip -j -d link|addr show} prints. Stateless; safe for concurrent use. */
final class IpJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IpJson() {}

    static List<LinkState> links(String output) {
        if (output.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(output);
        } catch (JsonProcessingException e) {
            throw new NetworkException(ErrorKind.INTERNAL, "could not read the JSON from ip: " + e.getOriginalMessage()
                    + "\n" + abbreviate(output));
        }
        if (!root.isArray()) {
            throw new NetworkException(ErrorKind.INTERNAL, "ip printed JSON that is not a list of links\n" + abbreviate(output));
        }
        List<LinkState> links = new ArrayList<>();
        for (JsonNode link : root) {
            String name = link.path("ifname").asText("");
            if (name.isEmpty()) {
                continue;
            }
            boolean up = false;
            for (JsonNode flag : link.path("flags")) {
                up |= flag.asText().equals("UP");
            }
            String kind = link.path("linkinfo").path("info_kind").asText("");
            if (kind.equals("tun")) {
                // ip reports TAPs as kind "tun"; the mode is in info_data.type.
                kind = link.path("linkinfo").path("info_data").path("type").asText("tun");
            }
            List<String> ipv4 = new ArrayList<>();
            for (JsonNode addr : link.path("addr_info")) {
                if (addr.path("family").asText().equals("inet")) {
                    ipv4.add(addr.path("local").asText() + "/" + addr.path("prefixlen").asInt());
                }
            }
            links.add(new LinkState(name, kind, up, link.path("master").asText(""), ipv4));
        }
        return links;
    }

    private static String abbreviate(String output) {
        return output.length() > 500 ? output.substring(0, 500) + "…" : output;
    }
}
