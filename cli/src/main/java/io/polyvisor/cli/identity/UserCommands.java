package io.polyvisor.cli.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.access.Expiry;
import io.polyvisor.access.Role;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table.Column;
import io.polyvisor.cli.ResourceCommands;
import io.polyvisor.cli.Resource;
import io.polyvisor.cli.Table;
import io.polyvisor.model.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code polyvisor user create|list|show|revoke|rotate|whoami} (docs/SECURITY.md). A token is printed once, by create
 * and rotate ({@code -o json}: field {@code token}); the server keeps only its hash and can never show it again.
 */
@Command(name = "user", description = "Users and their tokens: admin, operator or viewer, limited to projects.",
        subcommands = {UserCommands.Create.class, UserCommands.ListUsers.class, UserCommands.Show.class, UserCommands.Revoke.class,
                UserCommands.Rotate.class, UserCommands.Whoami.class})
public final class UserCommands implements Runnable {
    static final Resource USERS = new Resource("user", "/api/v1/users", List.of(
            Column.text("NAME", "name"),
            Column.text("ROLE", "role"),
            new Column("PROJECTS", UserCommands::projects),
            Column.text("STATE", "state"),
            Column.field("EXPIRES", "expires")), name -> name);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "create", description = "Create a user and print its token (shown this once).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator or viewer.")
        String role;
        @Option(names = "--project", paramLabel = "P", description = "A project it sees and acts in; repeatable (not for admins).")
        List<String> projects;
        @Option(names = "--expires", paramLabel = "DURATION", description = "The token stops working after this: 30m, 12h, 90d (default: never).")
        String expires;

        @Override
        public void run() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", Names.requireName("user", name));
            b.put("role", Role.parse(role).label());
            if (projects != null) {
                List<String> ps = new ArrayList<>();
                for (String p : projects) ps.add(Names.requireName("project", p));
                b.put("projects", ps);
            }
            if (expires != null) {
                Expiry.parse(expires);
                b.put("expires", expires);
            }
            var cli = Cli.of(spec);
            printToken(cli, cli.client().post(USERS.path(), b), "created");
        }
    }

    @Command(name = "list", description = "List users: role, projects, state (active, expired, revoked).")
    static final class ListUsers extends ResourceCommands.ListAll {
        ListUsers() {
            super(USERS);
        }
    }

    @Command(name = "show", description = "Show a user.")
    static final class Show extends ResourceCommands.Show {
        Show() {
            super(USERS, (cli, u) -> cli.print(u, user(u)));
        }
    }

    @Command(name = "revoke", description = "Revoke a user: its token and console sessions stop working at once.")
    static final class Revoke implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode u = cli.client().post(USERS.item(name) + "/revoke", Map.of());
            cli.print(u, user(u));
        }
    }

    @Command(name = "rotate", description = "Give a user a new token (printed once); the old one stops working at once.")
    static final class Rotate implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--expires", paramLabel = "DURATION", description = "The new token stops working after this (default: as long as the old one was given).")
        String expires;

        @Override
        public void run() {
            if (expires != null) Expiry.parse(expires);
            var cli = Cli.of(spec);
            printToken(cli, cli.client().post(USERS.item(name) + "/rotate",
                    expires == null ? Map.of() : Map.of("expires", expires)), "has a new token");
        }
    }

    @Command(name = "whoami", description = "Who the token in use is: name, role, projects.")
    static final class Whoami implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode me = cli.client().get("/api/v1/whoami");
            cli.print(me, new Table("NAME", "ROLE", "PROJECTS").row(me.path("name").asText(), me.path("role").asText(), projects(me)));
        }
    }

    private static void printToken(Cli cli, JsonNode answer, String what) {
        if (cli.json()) {
            cli.printJson(answer);
            return;
        }
        JsonNode u = answer.path("user");
        cli.out().println("user " + u.path("name").asText() + " " + what + " (" + u.path("role").asText()
                + (u.path("projects").isEmpty() ? "" : " of " + projects(u)) + ")");
        cli.out().println("token: " + answer.path("token").asText());
        cli.out().println("This token is shown once; the server keeps only its hash. Give it as --token or POLYVISOR_TOKEN.");
    }

    private static Table user(JsonNode u) {
        return new Table("NAME", "ROLE", "PROJECTS", "STATE", "CREATED", "EXPIRES", "REVOKED").row(u.path("name").asText(),
                u.path("role").asText(), projects(u), u.path("state").asText(), Table.text(u.path("created")),
                Table.text(u.path("expires")), Table.text(u.path("revoked")));
    }

    static String projects(JsonNode u) {
        List<String> ps = new ArrayList<>();
        u.path("projects").forEach(p -> ps.add(p.asText()));
        return ps.isEmpty() ? (u.path("role").asText().equals("admin") ? "(all)" : "-") : String.join(",", ps);
    }
}
