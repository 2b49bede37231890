package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * {@code polyvisor events [--after SEQ] [--limit N] [--follow [--count N]]}. Without {@code --after} it shows the
 * last N events; {@code --follow} then keeps printing new ones as the server streams them (one JSON object per
 * line with {@code -o json}).
 */
@Command(name = "events", description = "Show the event log; --follow streams new events as they happen.")
final class EventsCommand implements Runnable {
    private static final int PAGE = 500;
    private static final String LINE = "%-7s %-24s %-16s %-14s %s";

    @Spec
    CommandSpec spec;

    @Option(names = "--after", paramLabel = "SEQ", description = "Events after this sequence number (default: the last --limit).")
    Long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N past events (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "Keep streaming new events until interrupted.")
    boolean follow;

    @Option(names = "--count", paramLabel = "N", description = "With --follow: stop after N new events.")
    Integer count;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var past = after != null ? cli.client().get("/api/v1/events?after=" + after + "&limit=" + limit) : tail(cli.client());
        long last = after == null ? 0 : after;
        for (var e : past) last = Math.max(last, e.path("seq").asLong());
        if (!follow) {
            cli.print(past, Table.of(past, Views.EVENTS));
            return;
        }
        if (!cli.json()) cli.out().println(String.format(LINE, "SEQ", "AT", "TYPE", "SUBJECT", "MESSAGE").strip());
        for (var e : past) print(cli, e);
        int[] left = {count == null ? Integer.MAX_VALUE : count};
        if (left[0] <= 0) return;
        new EventStream(cli.client(), cli.err(), Duration.ofMillis(500)).follow(last, e -> {
            print(cli, e);
            return --left[0] > 0;
        });
    }

    /** The last {@code limit} events: pages through the log oldest first, keeping the newest. */
    private JsonNode tail(ApiClient client) {
        var keep = new ArrayDeque<JsonNode>();
        long seq = 0;
        while (true) {
            var page = client.get("/api/v1/events?after=" + seq + "&limit=" + PAGE);
            if (page.isEmpty()) break;
            for (var e : page) {
                keep.addLast(e);
                if (keep.size() > limit) keep.removeFirst();
                seq = Math.max(seq, e.path("seq").asLong());
            }
        }
        var arr = Cli.JSON.createArrayNode();
        keep.forEach(arr::add);
        return arr;
    }

    private static void print(Cli cli, JsonNode e) {
        if (cli.json()) {
            cli.out().println(e.toString());
        } else {
            cli.out().println(String.format(LINE, Table.text(e.get("seq")), Table.text(e.get("at")), Table.text(e.get("type")),
                    Table.text(e.get("subject")), Table.text(e.get("message"))).strip());
        }
        cli.out().flush();
    }
}
