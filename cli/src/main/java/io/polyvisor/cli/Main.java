package io.polyvisor.cli;

import io.polyvisor.model.InvalidInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@code polyvisor} command. To add a client subcommand, list its class in {@link CommandTree}; a command that
 * runs locally (server, bench) comes from its own module through {@link LocalCommands}. Reach the
 * output streams, options and API client with
 * {@link Cli#of(picocli.CommandLine.Model.CommandSpec)}.
 *
 * <p>Exit codes: 0 ok; 1 the operation failed (task failed, not found, conflict, placement rejected);
 * 2 usage or validation error; 3 cannot reach the server or authentication failed.
 */
@Command(name = "polyvisor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT, usageHelpWidth = 100, // --help (and --version) on every subcommand
        description = "Polyvisor: one control plane for virtual machines on any hypervisor.")
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    @Mixin
    GlobalOptions options;

    @Spec
    CommandSpec spec;

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    ApiClient client; // made by Cli.client() on first use

    private Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs one command line and returns its exit code; never throws, never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, CommandTree.needed(args));
    }

    /** {@link #run(String[], PrintStream, PrintStream, Map)} with these top-level commands built. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, List<Class<?>> subcommands) {
        var main = new Main(out, err, env);
        try {
            return commandLine(main, subcommands).execute(args);
        } finally {
            if (main.client != null) main.client.close();
            out.flush();
            err.flush();
        }
    }

    /** The root with {@code subcommands} under it (all of them, or just the one a command line names). */
    static CommandLine commandLine(Main main, List<Class<?>> subcommands) {
        var cl = new CommandLine(main);
        subcommands.forEach(cl::addSubcommand);
        cl.setOut(new PrintWriter(main.out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(main.err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> failure(main.err, ex, main.env));
        return cl;
    }

    /** The whole command tree, for completion scripts and tests; output goes nowhere until {@link #run}. */
    static CommandLine commandLine() {
        return commandLine(new Main(System.out, System.err, Map.of()), List.copyOf(CommandTree.all().values()));
    }

    @Override
    public void run() {
        // `polyvisor` alone: show what there is to do.
        spec.commandLine().usage(out);
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        var cl = ex.getCommandLine();
        var err = cl.getErr();
        err.println("error: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        }
        return USAGE;
    }

    /** Maps what a command threw to one {@code error:} line and an exit code; stack traces only with POLYVISOR_DEBUG. */
    private static int failure(PrintStream err, Exception ex, Map<String, String> env) {
        if (ex instanceof CliError e) {
            err.println("error: " + e.getMessage());
            if (e.hint() != null) err.println("hint: " + e.hint());
            return e.exitCode();
        }
        if (ex instanceof InvalidInput e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        err.println("error: internal error in polyvisor: " + ex);
        if (env.containsKey("POLYVISOR_DEBUG")) ex.printStackTrace(err);
        return FAILED;
    }
}
