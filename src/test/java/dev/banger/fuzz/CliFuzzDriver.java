package dev.banger.fuzz;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.cli.BangerMain;
import dev.banger.rpc.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs many {@code banger} argument vectors in-process, as {@code BangerMain} runs one, inside a
 * JVM whose environment is a test sandbox's (the CLI reads its socket path from the environment,
 * which a test JVM cannot change for itself). Reads a JSON array of argument vectors and writes
 * one JSON object per vector: exit code, stdout and stderr. Test tooling, single-threaded.
 */
public final class CliFuzzDriver {
    /** What one vector did. */
    public record Outcome(List<String> args, int exit, String out, String err) {}

    private CliFuzzDriver() {}

    public static void main(String[] args) throws IOException {
        ObjectMapper json = Json.mapper();
        List<List<String>> vectors = json.readValue(Files.readString(Path.of(args[0])), new TypeReference<>() {});
        List<Outcome> outcomes = new ArrayList<>();
        for (List<String> vector : vectors) {
            CommandLine cli = BangerMain.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(vector.toArray(String[]::new));
            outcomes.add(new Outcome(vector, exit, out.toString(), err.toString()));
        }
        json.writeValue(Path.of(args[1]).toFile(), outcomes);
    }
}
