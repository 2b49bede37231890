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
 * line with {@code -o json}). {@code --follow --after SEQ} streams everything after SEQ, then live events.
 */
@Command(name = "events", description = "Show the event log; --follow streams new events as they happen.")
final class EventsCommand implements Runnable {
    private static final int PAGE = 500;
    private static final String LINE = "%-6s  %-27s  %-15s  %-12s  %s";

    @Spec
    CommandSpec spec;

    /** The newest sequence number seen in the log (printed or not): --follow streams from there. */
    private long lastSeq;

    @Option(names = "--after", paramLabel = "SEQ", description = "Events after this sequence number (default: the last --limit).")
    Long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N past events (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "Keep streaming new events until interrupted.")
    boolean follow;

    @Option(names = "--count", paramLabel = "N",
            description = "With --follow: stop after N streamed events (those after --after SEQ, else new ones).")
    Integer count;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        if (follow && after != null) {
            // the stream replays everything after SEQ, then goes on live
            header(cli);
            stream(cli, after);
            return;
        }
        var past = after != null ? cli.client().get("/api/v1/events?after=" + after + "&limit=" + limit) : tail(cli.client());
        if (!follow) {
            cli.print(past, Table.of(past, Views.EVENTS));
            return;
        }
        header(cli);
        for (var e : past) print(cli, e);
        stream(cli, lastSeq);
    }

    private void stream(Cli cli, long after) {
        int[] left = {count == null ? Integer.MAX_VALUE : count};
        if (left[0] <= 0) return;
        new EventStream(cli.client(), cli.err(), Duration.ofMillis(500), EventStream.IDLE).follow(after, e -> {
            print(cli, e);
            return --left[0] > 0;
        });
    }

    private static void header(Cli cli) {
        if (!cli.json()) cli.out().println(String.format(LINE, "SEQ", "AT", "TYPE", "SUBJECT", "MESSAGE").strip());
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
        lastSeq = seq;
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
