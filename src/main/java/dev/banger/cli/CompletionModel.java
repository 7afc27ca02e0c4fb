package dev.banger.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What a shell may complete after each command of the picocli tree: its subcommands, its flags
 * (and what each flag's value is), and what its positional parameters are. The three scripts of
 * {@code banger completion} are written from it, so a command added to {@link CommandTree} is
 * completed without touching them. Hidden commands and options are left out. Immutable.
 */
record CompletionModel(List<Node> nodes) {
    /** What a value is completed from. VM and image names come from the daemon at completion time. */
    enum Kind { NONE, WORDS, FILE, VM, IMAGE }

    /** The values of one option or positional parameter; {@code words} only for {@link Kind#WORDS}. */
    record Values(Kind kind, List<String> words) {
        static final Values NONE = new Values(Kind.NONE, List.of());

        static Values of(Kind kind) {
            return new Values(kind, List.of());
        }
    }

    /** One option under all its names; {@code values} is null for a flag that takes no value. */
    record Flag(List<String> names, Values values, String description) {
        boolean takesValue() {
            return values != null;
        }
    }

    /**
     * The first positional parameter: what it is, and how many words in a row it takes
     * ({@code Integer.MAX_VALUE} for a list such as {@code vm delete NAME...}; 0 when there is none).
     */
    record Positional(Values values, int count) {
        static final Positional NONE = new Positional(Values.NONE, 0);
    }

    /** One command; {@code path} is empty for the root ({@code banger} itself). */
    record Node(List<String> path, String description, List<Node> subcommands, List<Flag> flags, Positional positional) {
        String pathText() {
            return String.join(" ", path);
        }

        String name() {
            return path.isEmpty() ? "banger" : path.getLast();
        }
    }

    /** Commands whose NAME is a name still to be given, not an existing one to complete. */
    private static final Set<String> NAMES_NEW = Set.of("create", "build", "register");

    /** Every visible command of {@code root}'s tree, the root first, parents before children. */
    static CompletionModel of(CommandLine root) {
        List<Node> nodes = new ArrayList<>();
        collect(root, List.of(), nodes);
        return new CompletionModel(List.copyOf(nodes));
    }

    Node root() {
        return nodes.getFirst();
    }

    private static Node collect(CommandLine command, List<String> path, List<Node> nodes) {
        CommandSpec spec = command.getCommandSpec();
        int at = nodes.size();
        nodes.add(null);
        List<Node> children = new ArrayList<>();
        for (CommandLine child : command.getSubcommands().values()) {
            CommandSpec childSpec = child.getCommandSpec();
            // getSubcommands() lists a command once per alias; the name picks the one entry.
            boolean listed = children.stream().anyMatch(c -> c.name().equals(childSpec.name()));
            if (!childSpec.usageMessage().hidden() && !listed) {
                List<String> childPath = new ArrayList<>(path);
                childPath.add(childSpec.name());
                children.add(collect(child, List.copyOf(childPath), nodes));
            }
        }
        List<Flag> flags = spec.options().stream().filter(o -> !o.hidden())
                .map(o -> new Flag(List.of(o.names()), o.arity().max() > 0 ? values(path, o) : null, firstLine(o.description())))
                .toList();
        Node node = new Node(path, firstLine(spec.usageMessage().description()), List.copyOf(children), flags,
                positional(path, spec));
        nodes.set(at, node);
        return node;
    }

    private static Positional positional(List<String> path, CommandSpec spec) {
        return spec.positionalParameters().stream()
                .filter(p -> !p.hidden() && p.index().min() == 0)
                .findFirst()
                .map(p -> new Positional(values(path, p), p.arity().max()))
                .orElse(Positional.NONE);
    }

    /**
     * What one option or positional parameter of the command at {@code path} takes. The one
     * mapping from the commands to names: a NAME under {@code vm} is a VM and one under {@code image}
     * an image (except where the command makes that name: {@code vm create NAME}); an option
     * {@code --image} or labelled IMAGE is an image; a {@code Path} is a file; an enum (or declared
     * candidates) is one of its words.
     */
    static Values values(List<String> path, ArgSpec arg) {
        String label = arg.paramLabel();
        boolean named = arg instanceof PositionalParamSpec && label.equals("NAME")
                && !path.isEmpty() && !NAMES_NEW.contains(path.getLast());
        if (named && path.getFirst().equals("vm")) {
            return Values.of(Kind.VM);
        }
        if (named && path.getFirst().equals("image")
                || arg instanceof OptionSpec o && (List.of(o.names()).contains("--image") || label.equals("IMAGE"))) {
            return Values.of(Kind.IMAGE);
        }
        if (arg.type() == Path.class || arg.auxiliaryTypes().length > 0 && arg.auxiliaryTypes()[0] == Path.class) {
            return Values.of(Kind.FILE);
        }
        if (arg.completionCandidates() != null) {
            List<String> words = StreamSupport.stream(arg.completionCandidates().spliterator(), false).toList();
            if (!words.isEmpty()) {
                return new Values(Kind.WORDS, words);
            }
        }
        return Values.NONE;
    }

    /** The first line of a description, without picocli's variables; what a shell shows beside a word. */
    private static String firstLine(String[] description) {
        if (description.length == 0) {
            return "";
        }
        return description[0].replaceAll("\\s*\\(default: \\$\\{DEFAULT-VALUE}\\)", "")
                .replaceAll("\\$\\{[^}]*}", "").strip();
    }
}
