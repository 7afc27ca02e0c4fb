package dev.banger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.rpc.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Writes command output: JSON documents, aligned tables and key/value blocks. Not thread-safe. */
final class Printer {
    private final PrintWriter out;

    Printer(PrintWriter out) {
        this.out = out;
    }

    /** One JSON object on one line, so scripts can take the last line. */
    void json(Object value) {
        try {
            out.println(Json.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Key/value pairs with the keys padded to one width. */
    void fields(List<String[]> pairs) {
        int width = pairs.stream().mapToInt(p -> p[0].length()).max().orElse(0);
        for (String[] pair : pairs) {
            out.println(pad(pair[0] + ":", width + 1) + " " + pair[1]);
        }
        out.flush();
    }

    /** A table whose columns are as wide as their widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i]) + "  ");
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
