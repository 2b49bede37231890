package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Finishes a command that started a task: with {@code --no-wait} prints the accepted task at once; otherwise waits
 * for it and prints the outcome (table: one sentence; JSON: {@code {"task": Task, "vm": Vm}}).
 */
final class TaskReport {
    private static final Map<String, String> DONE = Map.of(
            "create", "created", "start", "started", "stop", "stopped", "reboot", "rebooted", "suspend", "suspended",
            "resume", "resumed", "delete", "deleted", "migrate", "migrated");

    private TaskReport() {}

    /**
     * @param accepted the server's 202 body, printed as is with {@code --no-wait} and {@code -o json}
     * @param vmRef    the VM as the user named it, shown when the task no longer names it (after delete)
     */
    static void finish(Cli cli, JsonNode accepted, JsonNode task, WaitOptions wait, String vmRef) {
        if (wait.noWait) {
            if (cli.json()) cli.printJson(accepted);
            else cli.out().println("task " + task.path("id").asText() + " " + task.path("status").asText() + ": " + TaskWaiter.describe(task));
            return;
        }
        var done = new TaskWaiter(cli.client()).await(task, wait.timeout);
        var kind = done.path("kind").asText();
        JsonNode vm = kind.equals("delete") ? null : cli.client().get("/api/v1/vms/" + ApiClient.encode(vmRef(done)));
        if (cli.json()) {
            var o = Cli.JSON.createObjectNode();
            o.set("task", done);
            if (vm != null) o.set("vm", vm);
            cli.printJson(o);
        } else {
            cli.out().println(sentence(done, vm, vmRef));
        }
    }

    /** {@code vm web1 migrated: running on h2 (task 42, 1.20 s, downtime 35 ms)}. */
    static String sentence(JsonNode task, JsonNode vm, String vmRef) {
        var kind = task.path("kind").asText();
        var name = vm != null ? vm.path("name").asText(vmRef) : task.hasNonNull("vm_name") ? task.get("vm_name").asText() : vmRef;
        var sb = new StringBuilder("vm ").append(name).append(' ')
                .append(DONE.getOrDefault(kind, kind + " done"));
        if (vm != null) {
            sb.append(": ").append(vm.path("state").asText());
            if (vm.hasNonNull("host")) sb.append(" on ").append(vm.get("host").asText());
        }
        sb.append(" (task ").append(task.path("id").asText());
        var took = TaskWaiter.took(task);
        if (took != null) sb.append(", ").append(took);
        var downtime = task.path("result").path("downtime_ms");
        if (!downtime.isMissingNode() && !downtime.isNull()) sb.append(", downtime ").append(downtime.asText()).append(" ms");
        return sb.append(')').toString();
    }

    private static String vmRef(JsonNode task) {
        return task.hasNonNull("vm_name") ? task.get("vm_name").asText() : task.path("vm_id").asText();
    }
}
