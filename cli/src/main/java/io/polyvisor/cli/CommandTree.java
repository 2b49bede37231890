package io.polyvisor.cli;

import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The top-level commands under {@code polyvisor}, and which of them one command line needs. Building a picocli
 * command reads every annotation of its whole subtree, so a call builds only the command it names: {@code polyvisor
 * host list} never builds {@code vm}, {@code ha} or the benchmarks. A line that names no known command (none at all,
 * {@code --help}, a typo that wants suggestions, an {@code @file} of arguments) and {@code completion} get the whole
 * tree, so their output is the same as if everything had been built.
 */
final class CommandTree {
    /** Client commands, in the order {@code polyvisor --help} lists them; local commands follow. */
    private static final List<Class<?>> CLIENT = List.of(HostCommands.class, VmCommands.class, EventsCommand.class,
            TasksCommand.class, HaCommands.class, PlanCommands.class, ExplainCommands.class, io.polyvisor.cli.groups.GroupCommands.class,
            io.polyvisor.cli.coord.CoordCommands.class, VolumeCommands.class, PoolCommands.class, TemplateCommands.class, io.polyvisor.cli.networks.NetworkCommands.class,
            io.polyvisor.cli.networks.SecgroupCommands.class, io.polyvisor.cli.identity.UserCommands.class,
            io.polyvisor.cli.identity.ProjectCommands.class, io.polyvisor.cli.identity.AuditCommand.class, io.polyvisor.cli.retention.RetentionCommands.class,
            io.polyvisor.cli.cluster.ServersCommand.class,
            CompletionCommand.class);
    /** Root options that take their value as the next argument ({@link GlobalOptions}). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--url", "--token", "--ca", "-o", "--output");
    /** Commands whose output is about the whole tree. */
    private static final Set<String> WHOLE_TREE = Set.of("completion");

    private CommandTree() {}

    /** The command classes to add under the root for {@code args}: one when it names a known command, else all. */
    static List<Class<?>> needed(String[] args) {
        var all = all();
        var word = commandWord(args);
        var named = word == null || WHOLE_TREE.contains(word) ? null : all.get(word);
        return named == null ? List.copyOf(all.values()) : List.of(named);
    }

    /** Every top-level command by name: the client's, then those of the modules on the class path ({@link LocalCommands}). */
    static Map<String, Class<?>> all() {
        var all = new LinkedHashMap<String, Class<?>>();
        CLIENT.forEach(c -> all.put(name(c), c));
        for (LocalCommands local : ServiceLoader.load(LocalCommands.class)) {
            local.commands().forEach(c -> all.put(name(c), c));
        }
        return all;
    }

    /**
     * The first argument that is not a root option or its value, or null when there is none or when the line
     * cannot be read that simply ({@code --} or an {@code @file}).
     */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            var a = args[i];
            if (a.equals("--") || a.startsWith("@")) return null;
            if (OPTIONS_WITH_VALUE.contains(a)) i++;
            else if (!a.startsWith("-")) return a;
        }
        return null;
    }

    private static String name(Class<?> command) {
        var c = command.getAnnotation(Command.class);
        if (c == null || c.name().isEmpty()) throw new IllegalStateException(command.getName() + " has no @Command name");
        return c.name();
    }
}
