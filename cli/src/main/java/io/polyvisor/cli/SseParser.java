package io.polyvisor.cli;

/**
 * The text/event-stream line protocol (WHATWG HTML, "server-sent events"): fields {@code id}, {@code event},
 * {@code data} (repeatable, joined with newlines); lines starting with ':' are comments (heartbeats); a blank line
 * ends an event. Events without data are dropped, as the standard says.
 */
final class SseParser {
    /** One dispatched event; {@code id} is null when the event carried none. */
    record Event(String id, String type, String data) {}

    private String id;
    private String type;
    private StringBuilder data;

    /** Feeds one line (without its line break); returns the event it completes, or null. */
    Event line(String line) {
        if (line.isEmpty()) return dispatch();
        if (line.startsWith(":")) return null;
        int colon = line.indexOf(':');
        var field = colon < 0 ? line : line.substring(0, colon);
        var value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> {
                if (data == null) data = new StringBuilder();
                else data.append('\n');
                data.append(value);
            }
            default -> { } // "retry" and unknown fields: ignored
        }
        return null;
    }

    private Event dispatch() {
        var e = data == null ? null : new Event(id, type == null ? "message" : type, data.toString());
        id = null;
        type = null;
        data = null;
        return e;
    }
}
