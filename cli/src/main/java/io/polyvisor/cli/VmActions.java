package io.polyvisor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;

import static io.polyvisor.cli.ApiClient.encode;

/** The VM verbs that each start one task: POST (or DELETE) then wait for the task, see {@link TaskReport}. */
abstract class VmActions implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "VM name or id.")
    String ref;

    @Mixin
    WaitOptions wait;

    /** The request body, or null for none. */
    Map<String, Object> body() {
        return null;
    }

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var path = "/api/v1/vms/" + encode(ref);
        var verb = spec.name();
        var task = verb.equals("delete") ? cli.client().delete(path)
                : cli.client().post(path + "/" + verb, body() == null ? Map.of() : body());
        TaskReport.finish(cli, task, task, wait, ref);
    }

    @Command(name = "start", description = "Start a stopped VM.")
    static final class Start extends VmActions {}

    @Command(name = "stop", description = "Shut a VM down (ACPI), or power it off with --force.")
    static final class Stop extends VmActions {
        @Option(names = "--force", description = "Power off at once instead of asking the guest to shut down.")
        boolean force;

        @Override
        Map<String, Object> body() {
            return force ? Map.of("force", true) : null;
        }
    }

    @Command(name = "reboot", description = "Reboot a running VM.")
    static final class Reboot extends VmActions {}

    @Command(name = "suspend", description = "Pause a running VM in memory.")
    static final class Suspend extends VmActions {}

    @Command(name = "resume", description = "Resume a paused VM.")
    static final class Resume extends VmActions {}

    @Command(name = "delete", description = "Stop a VM and remove it and its disks.")
    static final class Delete extends VmActions {}

    @Command(name = "migrate", description = "Live-migrate a VM to another host.")
    static final class Migrate extends VmActions {
        @Option(names = "--to", required = true, paramLabel = "HOST", description = "Destination host.")
        String to;

        @Override
        Map<String, Object> body() {
            return Map.of("to", to);
        }
    }
}
