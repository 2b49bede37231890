package io.polyvisor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code list}, {@code show NAME} and {@code delete NAME} subcommands of a {@link Resource}. A subclass passes
 * its resource to the constructor and carries its own {@code @Command} (name and description); picocli reads the
 * fields annotated here as the subclass's.
 */
final class ResourceCommands {
    private ResourceCommands() {}

    /** {@code list}: every item as a table. */
    abstract static class ListAll implements Runnable {
        private final Resource resource;

        @Spec
        CommandSpec spec;

        ListAll(Resource resource) {
            this.resource = resource;
        }

        @Override
        public void run() {
            resource.list(Cli.of(spec));
        }
    }

    /** {@code show NAME}: one item, field by field. */
    abstract static class Show implements Runnable {
        private final Resource resource;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        Show(Resource resource) {
            this.resource = resource;
        }

        @Override
        public void run() {
            resource.show(Cli.of(spec), name);
        }
    }

    /** {@code delete NAME} (or {@code remove NAME}): prints {@code NOUN NAME DONE}, JSON {@code {"DONE": NAME}}. */
    abstract static class Delete implements Runnable {
        private final Resource resource;
        private final String done;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        Delete(Resource resource, String done) {
            this.resource = resource;
            this.done = done;
        }

        Delete(Resource resource) {
            this(resource, "deleted");
        }

        @Override
        public void run() {
            resource.delete(Cli.of(spec), name, done);
        }
    }
}
