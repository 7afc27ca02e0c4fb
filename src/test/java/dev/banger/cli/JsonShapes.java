package dev.banger.cli;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON shapes {@code --json} prints, two ways: derived from the classes through the serializers
 * of the mapper the CLI prints with, and read from the machine-readable blocks of
 * {@code docs/json.md}. Both come out as the same text, one block per shape, so a test compares them
 * and a failure shows the block to paste.
 *
 * <p>Types are {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code timestamp}
 * (an ISO-8601 instant as a string), {@code any}, {@code [T]} (an array of T), {@code {T}} (an object
 * with any keys whose values are T), or the name of another shape or enum.
 */
final class JsonShapes {
    static final String DOCUMENT = "docs/json.md";

    /** A fenced block: {@code ```shape NAME}, {@code ```enum NAME} or {@code ```commands}. */
    private static final Pattern BLOCK = Pattern.compile("(?m)^```(shape|enum|commands)(?: +(\\S+))?\\n(.*?)^```$",
            Pattern.DOTALL);

    private final ObjectMapper mapper;
    private final SerializerProvider provider;
    private final Map<Class<?>, String> names;
    /** Shape or enum name → its lines: {@code field type} or {@code word}, in the order the JSON has them. */
    private final Map<String, List<String>> blocks = new LinkedHashMap<>();
    private final Set<String> enums = new LinkedHashSet<>();
    private final List<Class<? extends Enum<?>>> enumTypes = new ArrayList<>();

    /** @param names the documented names of classes whose own would not do (a record called {@code Json}) */
    JsonShapes(ObjectMapper mapper, Map<Class<?>, String> names) {
        this.mapper = mapper;
        this.provider = mapper.getSerializerProviderInstance();
        this.names = names;
    }

    /** The name a class has in the document: given, else its simple name under its enclosing class's. */
    String name(Class<?> type) {
        String given = names.get(type);
        if (given != null) {
            return given;
        }
        return type.getEnclosingClass() == null ? type.getSimpleName()
                : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    }

    /** Derives the shape of {@code root} and of every shape and enum it reaches; returns its name. */
    String derive(Class<?> root) {
        Deque<JavaType> pending = new ArrayDeque<>();
        String name = type(mapper.constructType(root), pending);
        while (!pending.isEmpty()) {
            JavaType next = pending.pop();
            String nextName = name(next.getRawClass());
            if (blocks.containsKey(nextName)) {
                continue;
            }
            if (next.isEnumType()) {
                blocks.put(nextName, words(next.getRawClass()));
                enums.add(nextName);
                enumTypes.add(enumType(next.getRawClass()));
            } else {
                blocks.put(nextName, fields(next, pending));
            }
        }
        return name;
    }

    /** Every derived shape and enum, by name. */
    Map<String, List<String>> blocks() {
        return blocks;
    }

    /** Every enum class derived, in the order met. */
    List<Class<? extends Enum<?>>> enumTypes() {
        return List.copyOf(enumTypes);
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Enum<?>> enumType(Class<?> raw) {
        return (Class<? extends Enum<?>>) raw;
    }

    boolean isEnum(String name) {
        return enums.contains(name);
    }

    private List<String> fields(JavaType bean, Deque<JavaType> pending) {
        JsonSerializer<Object> serializer;
        try {
            serializer = provider.findValueSerializer(bean);
        } catch (JsonMappingException e) {
            throw new IllegalStateException("no serializer for " + bean, e);
        }
        if (!(serializer instanceof BeanSerializerBase properties)) {
            throw new IllegalStateException(bean + " is not written as a JSON object but by " + serializer.getClass().getName()
                    + "; teach JsonShapes its type");
        }
        List<String> lines = new ArrayList<>();
        for (Iterator<PropertyWriter> it = properties.properties(); it.hasNext(); ) {
            PropertyWriter property = it.next();
            lines.add(property.getName() + " " + type(property.getType(), pending));
        }
        return lines;
    }

    /** The words each constant is written as, in declaration order. */
    private List<String> words(Class<?> enumType) {
        List<String> words = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            JsonNode node = mapper.valueToTree(constant);
            if (!node.isTextual()) {
                throw new IllegalStateException(enumType + " writes " + constant + " as " + node + ", not a string");
            }
            words.add(node.textValue());
        }
        return words;
    }

    private String type(JavaType type, Deque<JavaType> pending) {
        Class<?> raw = type.getRawClass();
        if (type.isReferenceType()) {
            return type(type.getContentType(), pending);
        }
        if (type.isArrayType() || type.isCollectionLikeType()) {
            return "[" + type(type.getContentType(), pending) + "]";
        }
        if (type.isMapLikeType()) {
            return "{" + type(type.getContentType(), pending) + "}";
        }
        String leaf = leaf(raw);
        if (leaf != null) {
            return leaf;
        }
        pending.add(type);
        return name(raw);
    }

    /** The JSON type of a class written as a single value, or null for a shape or enum. */
    static String leaf(Type raw) {
        if (raw == String.class || raw == Path.class) {
            return "string";
        }
        if (raw == Instant.class) {
            return "timestamp";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class || raw == short.class) {
            return "integer";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class || raw == Duration.class) {
            return "number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw == Object.class || raw == JsonNode.class) {
            return "any";
        }
        return null;
    }

    /** A block's text as the document has it. */
    static String block(String kind, String name, List<String> lines) {
        return "```" + kind + (name == null ? "" : " " + name) + "\n" + String.join("\n", lines) + "\n```";
    }

    /** The document's blocks: shapes and enums by name (first two words or first word of each line), and the commands. */
    record Document(Map<String, List<String>> shapes, Map<String, List<String>> enums, Map<String, List<String>> commands) {}

    static Path document() {
        Set<Path> tried = new LinkedHashSet<>();
        for (String dir : new String[] {System.getProperty("basedir"), System.getProperty("user.dir")}) {
            if (dir == null || dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir).toAbsolutePath().resolve(DOCUMENT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalStateException(DOCUMENT + " was not found (tried " + tried
                + "); run the tests from the project directory, as Maven does");
    }

    static Document read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> shapes = new LinkedHashMap<>();
        Map<String, List<String>> enums = new LinkedHashMap<>();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            List<String> lines = block.group(3).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            switch (block.group(1)) {
                case "shape" -> put(shapes, block.group(2), lines.stream().map(l -> firstWords(l, 2)).toList());
                case "enum" -> put(enums, block.group(2), lines.stream().map(l -> firstWords(l, 1)).toList());
                default -> lines.forEach(line -> {
                    int json = line.indexOf("--json");
                    if (json < 0) {
                        throw new IllegalStateException(DOCUMENT + ": a commands line needs --json: " + line);
                    }
                    put(commands, line.substring(0, json).strip(),
                            Arrays.stream(line.substring(json + "--json".length()).split("\\|")).map(String::strip).toList());
                });
            }
        }
        return new Document(shapes, enums, commands);
    }

    private static void put(Map<String, List<String>> into, String name, List<String> lines) {
        if (name == null || into.put(name, lines) != null) {
            throw new IllegalStateException(DOCUMENT + ": a block without a name, or two named " + name);
        }
    }

    /** {@code field type}, or the word, with the words after it (the meaning) dropped and spacing made single. */
    private static String firstWords(String line, int count) {
        String[] words = line.split("\\s+", count + 1);
        return String.join(" ", Arrays.copyOf(words, Math.min(count, words.length)));
    }
}
