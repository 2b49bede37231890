package io.polyvisor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command needs from the invocation: its streams, environment, the global options and a client for the
 * server. Commands get one with {@code Cli.of(spec)} from their injected {@code @Spec CommandSpec}.
 */
public final class Cli {
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Main main;

    private Cli(Main main) {
        this.main = main;
    }

    public static Cli of(CommandSpec spec) {
        return of((Main) spec.root().userObject());
    }

    static Cli of(Main main) {
        return new Cli(main);
    }

    public PrintStream out() {
        return main.out;
    }

    public PrintStream err() {
        return main.err;
    }

    public Map<String, String> env() {
        return main.env;
    }

    public OutputFormat format() {
        return main.options.output;
    }

    public boolean json() {
        return format() == OutputFormat.json;
    }

    /** The server base URL: {@code --url}, else {@code $POLYVISOR_URL}, else {@value #DEFAULT_URL}. */
    public URI url() {
        var u = main.options.url != null ? main.options.url : main.env.getOrDefault("POLYVISOR_URL", DEFAULT_URL);
        return parseUrl(u);
    }

    static URI parseUrl(String text) {
        try {
            var uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new InvalidInput("server URL must look like http://HOST:PORT, got '" + text + "'");
    }

    /**
     * The invocation's client for the server, created on first use (commands that need no server never resolve a
     * token) and closed when {@link Main#run} ends.
     */
    public ApiClient client() {
        if (main.client == null) {
            var token = TokenSource.resolve(main.options.token, main.env, Path.of(""));
            URI url = url();
            var tls = "https".equals(url.getScheme()) ? CaTrust.resolve(main.options.ca, main.env, Path.of("")).orElse(null) : null;
            main.client = new ApiClient(url, token.orElse(null), tls);
        }
        return main.client;
    }

    /** Prints {@code node} as indented JSON followed by a newline. */
    public void printJson(Object node) {
        try {
            out().println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    /** Prints {@code node} as JSON with {@code -o json}, else as the table {@code table} renders. */
    public void print(JsonNode node, Table table) {
        if (json()) printJson(node);
        else out().print(table.render());
    }
}
