package dev.banger.runtime;

import dev.banger.model.BangerVersion;
import dev.banger.model.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code build:agent}: the guest agent binary that {@code make build} leaves in {@code build/agent/banger-agent}. */
final class AgentStager implements Stager {
    static final String BUILT_AGENT = "build/agent/banger-agent";

    @Override
    public Map<String, Staged> stage(Context context) {
        Path checkout = context.checkout().orElseThrow(() -> new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED,
                "banger-agent comes from a source checkout's `make build` (build:agent), but banger is not running"
                        + " from a checkout; give the agent as a file:///path source in the bundle spec"));
        Path agent = checkout.resolve(BUILT_AGENT);
        if (!Files.isRegularFile(agent)) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "banger-agent is not built (" + agent
                    + " is missing); run `make build` in " + checkout + ", then rerun `banger runtime bootstrap`");
        }
        return Map.of("", new Staged(agent, BangerVersion.get(), ""));
    }
}
