package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.function.BiConsumer;

/**
 * The {@code list}, {@code show NAME} and {@code delete NAME} subcommands of a {@link Resource}. A subclass passes
 * its resource to the constructor and carries its own {@code @Command} (name and description); picocli reads the
 * fields annotated here as the subclass's.
 */
public final class ResourceCommands {
    private ResourceCommands() {}

    /** {@code list}: every item as a table. */
    public abstract static class ListAll implements Runnable {
        private final Resource resource;

        @Spec
        CommandSpec spec;

        protected ListAll(Resource resource) {
            this.resource = resource;
        }

        @Override
        public void run() {
            resource.list(Cli.of(spec));
        }
    }

    /** {@code show NAME}: one item, field by field or as the subclass prints it. */
    public abstract static class Show implements Runnable {
        private final Resource resource;
        private final BiConsumer<Cli, JsonNode> print;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        /** @param print prints the item the server answered with (JSON with {@code -o json}) */
        protected Show(Resource resource, BiConsumer<Cli, JsonNode> print) {
            this.resource = resource;
            this.print = print;
        }

        protected Show(Resource resource) {
            this(resource, (cli, item) -> cli.print(item, Views.fields(item)));
        }

        @Override
        public void run() {
            var cli = Cli.of(spec);
            print.accept(cli, cli.client().get(resource.item(name)));
        }
    }

    /** {@code delete NAME} (or {@code remove NAME}): prints {@code NOUN NAME DONE}, JSON {@code {"DONE": NAME}}. */
    public abstract static class Delete implements Runnable {
        private final Resource resource;
        private final String done;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        protected Delete(Resource resource, String done) {
            this.resource = resource;
            this.done = done;
        }

        protected Delete(Resource resource) {
            this(resource, "deleted");
        }

        /** What {@code -o json} prints: {@code {"DONE": NAME}}. */
        JsonNode json(String name, JsonNode answer) {
            return Cli.JSON.createObjectNode().put(done, name);
        }

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var answer = cli.client().delete(resource.item(name));
            if (cli.json()) cli.printJson(json(name, answer));
            else cli.out().println(resource.noun() + " " + name + " " + done);
        }
    }

    /** A {@link Delete} whose {@code -o json} prints the deleted item, as the server answered with it. */
    public abstract static class DeleteShowingItem extends Delete {
        protected DeleteShowingItem(Resource resource) {
            super(resource);
        }

        @Override
        JsonNode json(String name, JsonNode answer) {
            return answer;
        }
    }
}
