package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Table.Column;

import java.util.List;
import java.util.function.UnaryOperator;

import static io.polyvisor.cli.ApiClient.encode;

/**
 * A collection of the REST API whose items are named ({@code /api/v1/volumes/NAME}), and the one way the CLI prints
 * it: a list or one item as a table of {@code columns}, {@code show} as {@link Views#fields}, a deletion as
 * {@code NOUN NAME deleted} (JSON {@code {"deleted": NAME}}). {@link ResourceCommands} holds the subcommands.
 *
 * @param noun      the word for one item in messages ({@code volume})
 * @param path      the collection's path ({@code /api/v1/volumes})
 * @param columns   the table of its items
 * @param checkName checks a name before any request, with the server's message, and returns it
 */
record Resource(String noun, String path, List<Column> columns, UnaryOperator<String> checkName) {
    /** The path of the item {@code name}; an invalid name throws the server's message and nothing is sent. */
    String item(String name) {
        return path + "/" + encode(checkName.apply(name));
    }

    /** Prints every item. */
    void list(Cli cli) {
        var all = cli.client().get(path);
        cli.print(all, Table.of(all, columns));
    }

    /** Prints one item (from a create or a change) as a one-row table. */
    void printOne(Cli cli, JsonNode item) {
        cli.print(item, Table.one(item, columns));
    }

    /** Prints the item {@code name} field by field. */
    void show(Cli cli, String name) {
        var item = cli.client().get(item(name));
        cli.print(item, Views.fields(item));
    }

    /** Deletes the item {@code name} and says so: {@code NOUN NAME DONE}, JSON {@code {"DONE": NAME}}. */
    void delete(Cli cli, String name, String done) {
        cli.client().delete(item(name));
        if (cli.json()) cli.printJson(Cli.JSON.createObjectNode().put(done, name));
        else cli.out().println(noun + " " + name + " " + done);
    }
}
