package dev.banger.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Which command holds which subcommands, and the picocli tree built from it. picocli reads every
 * command's annotations by reflection when it is added, which for the whole tree costs a few
 * hundred milliseconds of CPU at each start; a run only needs the branch its arguments name. So
 * {@link #forArgs} adds every group (for {@code banger --help} and suggestions) but only the
 * named group's subcommands, and of those only the named one when it exists (all of them for
 * {@code banger vm --help} or a typo). Stateless.
 */
final class CommandTree {
    private static final Map<Class<?>, List<Class<?>>> CHILDREN = new LinkedHashMap<>();

    static {
        CHILDREN.put(BangerCommand.class, List.of(DaemonCommand.class, DoctorCommand.class, RuntimeCommand.class,
                ImageCommand.class, VmCommand.class, BenchCommand.class));
        CHILDREN.put(DaemonCommand.class, List.of(DaemonStartCommand.class, DaemonStopCommand.class, DaemonStatusCommand.class));
        CHILDREN.put(RuntimeCommand.class, List.of(RuntimeStatusCommand.class, RuntimeBootstrapCommand.class,
                RuntimePackageCommand.class, RuntimeInstallCommand.class));
        CHILDREN.put(ImageCommand.class, List.of(ImageBuildCommand.class, ImageRebuildRootfsCommand.class,
                ImageRegisterCommand.class, ImagePromoteCommand.class, ImageListCommand.class, ImageShowCommand.class,
                ImageDeleteCommand.class, ImageVerifyCommand.class));
        CHILDREN.put(VmCommand.class, List.of(VmCreateCommand.class, VmListCommand.class, VmShowCommand.class,
                VmStartCommand.class, VmStopCommand.class, VmRestartCommand.class, VmDeleteCommand.class, VmEditCommand.class,
                VmStatsCommand.class, VmHealthCommand.class, VmLogsCommand.class, VmSshCommand.class));
        CHILDREN.put(BenchCommand.class, List.of(BenchCreateCommand.class));
    }

    private CommandTree() {}

    /** Every command (tests drive any of them through one tree). */
    static CommandLine full() {
        return build(List.of(), true);
    }

    /** The root, every group, and the branch {@code args} name. */
    static CommandLine forArgs(String[] args) {
        return build(Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList(), false);
    }

    private static CommandLine build(List<String> words, boolean everything) {
        CommandLine root = new CommandLine(new BangerCommand());
        for (Class<?> groupClass : CHILDREN.get(BangerCommand.class)) {
            CommandLine group = new CommandLine(create(groupClass));
            root.addSubcommand(group);
            List<Class<?>> leaves = CHILDREN.getOrDefault(groupClass, List.of());
            boolean named = !words.isEmpty() && words.getFirst().equals(nameOf(groupClass));
            if (everything || named) {
                Optional<Class<?>> leaf = words.size() > 1 && !everything
                        ? leaves.stream().filter(c -> nameOf(c).equals(words.get(1))).findFirst() : Optional.empty();
                (leaf.isPresent() ? List.of(leaf.get()) : leaves).forEach(c -> group.addSubcommand(new CommandLine(create(c))));
            }
        }
        return root;
    }

    static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    private static Object create(Class<?> command) {
        try {
            return CommandLine.defaultFactory().create(command);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the command " + command.getName(), e);
        }
    }
}
