package io.polyvisor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;

import static io.polyvisor.cli.ApiClient.encode;

/** {@code polyvisor tasks [--vm NAME] [--status S] [--limit N]}: recent tasks, newest first. */
@Command(name = "tasks", description = "List recent tasks, newest first.")
final class TasksCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--vm", paramLabel = "NAME", description = "Only tasks of this VM.")
    String vm;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only tasks in this status: queued, running, succeeded, failed, cancelled.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N tasks (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var q = new ArrayList<String>();
        if (vm != null) q.add("vm=" + encode(vm));
        if (status != null) q.add("status=" + encode(status));
        q.add("limit=" + limit);
        var tasks = cli.client().get("/api/v1/tasks?" + String.join("&", q));
        cli.print(tasks, Table.of(tasks, Views.TASKS));
    }
}
