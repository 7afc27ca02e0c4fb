package dev.banger.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
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
 * {@link #forArgs} builds the root, the named group and the named command; every group when no
 * existing group is named (for {@code banger --help} and suggestions), and every command of the
 * group when no existing command of it is named ({@code banger vm --help}, a typo). Stateless.
 */
final class CommandTree {
    private static final Map<Class<?>, List<Class<?>>> CHILDREN = new LinkedHashMap<>();

    static {
        CHILDREN.put(BangerCommand.class, List.of(DaemonCommand.class, DoctorCommand.class, RuntimeCommand.class,
                ImageCommand.class, VmCommand.class, BenchCommand.class, CompletionCommand.class));
        CHILDREN.put(DaemonCommand.class, List.of(DaemonStartCommand.class, DaemonStopCommand.class, DaemonStatusCommand.class));
        CHILDREN.put(RuntimeCommand.class, List.of(RuntimeStatusCommand.class, RuntimeBootstrapCommand.class,
                RuntimePackageCommand.class, RuntimeInstallCommand.class));
        CHILDREN.put(ImageCommand.class, List.of(ImageBuildCommand.class, ImageRebuildRootfsCommand.class,
                ImageRegisterCommand.class, ImagePromoteCommand.class, ImageListCommand.class, ImageShowCommand.class,
                ImageDeleteCommand.class, ImageVerifyCommand.class, ImageSnapshotCommand.class));
        CHILDREN.put(VmCommand.class, List.of(VmCreateCommand.class, VmListCommand.class, VmShowCommand.class,
                VmStartCommand.class, VmStopCommand.class, VmRestartCommand.class, VmDeleteCommand.class, VmEditCommand.class,
                VmStatsCommand.class, VmHealthCommand.class, VmLogsCommand.class, VmSshCommand.class, VmExecCommand.class, VmCpCommand.class,
                VmPortCommand.class, VmShareCommand.class, VmUnshareCommand.class));
        CHILDREN.put(BenchCommand.class, List.of(BenchCreateCommand.class));
        CHILDREN.put(CompletionCommand.class, List.of(CompletionNamesCommand.class));
    }

    private static final CommandLine.IFactory FACTORY = new Factory();

    private CommandTree() {}

    /** Every command (tests drive any of them through one tree). */
    static CommandLine full() {
        return build(List.of(), true);
    }

    /** The root, the group and the command {@code args} name, or all of a level when its name is absent or unknown. */
    static CommandLine forArgs(String[] args) {
        return build(Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList(), false);
    }

    private static CommandLine build(List<String> words, boolean everything) {
        CommandLine root = new CommandLine(new BangerCommand(), FACTORY);
        List<Class<?>> groups = CHILDREN.get(BangerCommand.class);
        List<Class<?>> named = everything ? groups : only(groups, words, 0);
        for (Class<?> groupClass : named) {
            CommandLine group = new CommandLine(create(groupClass), FACTORY);
            root.addSubcommand(group);
            List<Class<?>> leaves = CHILDREN.getOrDefault(groupClass, List.of());
            if (everything || named.size() == 1) {
                (everything ? leaves : only(leaves, words, 1))
                        .forEach(c -> group.addSubcommand(new CommandLine(create(c), FACTORY)));
            }
        }
        return root;
    }

    /** The one command named by {@code words[index]}, or all of them when that word is absent or names none. */
    private static List<Class<?>> only(List<Class<?>> commands, List<String> words, int index) {
        Optional<Class<?>> named = words.size() > index
                ? commands.stream().filter(c -> nameOf(c).equals(words.get(index))).findFirst() : Optional.empty();
        return named.<List<Class<?>>>map(List::of).orElse(commands);
    }

    static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    private static Object create(Class<?> command) {
        try {
            return FACTORY.create(command);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the command " + command.getName(), e);
        }
    }

    /**
     * Creates commands and mixins by their no-argument constructor. picocli's default factory
     * first looks for Groovy's {@code Closure} class, which searches every jar on the class path
     * at each start; what is not a concrete class (a collection-typed option) still goes to it.
     */
    private static final class Factory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                return CommandLine.defaultFactory().create(type);
            }
            Constructor<K> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        }
    }
}
