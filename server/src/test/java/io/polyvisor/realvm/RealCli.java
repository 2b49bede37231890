package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.cli.Main;
import io.polyvisor.server.TestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real CLI, in process, against a test server, as a user would run it with {@code -o json}. */
final class RealCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealCli() {}

    /** Runs the CLI with {@code -o json}; fails unless it exits 0; returns its JSON (or an empty object). */
    static JsonNode run(TestServer api, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json", "--url", api.server.url().toString()));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("POLYVISOR_TOKEN", api.server.token()));
        assertThat(exit).as(String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
        String text = out.toString(StandardCharsets.UTF_8).strip();
        try {
            return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
