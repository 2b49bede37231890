package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Table.Column;

import java.util.List;
import java.util.function.UnaryOperator;

import static io.polyvisor.cli.ApiClient.encode;

/**
 * A collection of the REST API whose items are named ({@code /api/v1/volumes/NAME}), and the one way the CLI prints
 * it: a list or one item as a table of {@code columns}, {@code show} as {@link Views#fields} (unless the command shows
 * it its own way), a deletion as {@code NOUN NAME deleted} (JSON {@code {"deleted": NAME}}, or the deleted item).
 * {@link ResourceCommands} holds the subcommands.
 *
 * @param noun      the word for one item in messages ({@code volume})
 * @param path      the collection's path ({@code /api/v1/volumes})
 * @param columns   the table of its items
 * @param checkName checks a name before any request, with the server's message, and returns it
 */
public record Resource(String noun, String path, List<Column> columns, UnaryOperator<String> checkName) {
    /** The path of the item {@code name}; an invalid name throws the server's message and nothing is sent. */
    public String item(String name) {
        return path + "/" + encode(checkName.apply(name));
    }

    /** Prints every item. */
    public void list(Cli cli) {
        var all = cli.client().get(path);
        cli.print(all, Table.of(all, columns));
    }

    /** Prints one item (from a create or a change) as a one-row table. */
    public void printOne(Cli cli, JsonNode item) {
        cli.print(item, Table.one(item, columns));
    }

}
