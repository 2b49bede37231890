package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Aligned text columns: a header row, then one row per item, columns separated by at least two spaces, no
 * trailing spaces. Missing values print as {@code -}; line breaks and tabs in values become spaces so one
 * item is always one line.
 */
public final class Table {
    /** One column: its header and how to read its cell from an item of the server's JSON. */
    public record Column(String header, Function<JsonNode, String> value) {
        /** A column showing the text of {@code field}. */
        public static Column field(String header, String field) {
            return new Column(header, n -> Table.text(n.get(field)));
        }

        /** A column showing {@code field} as Jackson's {@code asText} reads it ({@code -} when absent). */
        public static Column text(String header, String field) {
            return new Column(header, n -> n.path(field).asText());
        }

        /** A column showing the strings of the array {@code field}, comma-separated; {@code -} when it is absent or empty. */
        public static Column strings(String header, String field) {
            return new Column(header, n -> {
                var out = new ArrayList<String>();
                n.path(field).forEach(i -> out.add(i.asText()));
                return out.isEmpty() ? "-" : String.join(",", out);
            });
        }
    }

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** A table with one row per element of {@code items} (a JSON array, usually). */
    public static Table of(Iterable<JsonNode> items, List<Column> columns) {
        var t = new Table(columns.stream().map(Column::header).toArray(String[]::new));
        for (var item : items) t.row(columns.stream().map(c -> c.value().apply(item)).toArray(String[]::new));
        return t;
    }

    /** A table with one row: {@code item}. */
    public static Table one(JsonNode item, List<Column> columns) {
        return of(List.of(item), columns);
    }

    /** Adds a row; it must have one cell per header. */
    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells for " + headers.size() + " columns");
        }
        var r = new ArrayList<String>(cells.length);
        for (var c : cells) r.add(clean(c));
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public String render() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) width[i] = headers.get(i).length();
        for (var r : rows) for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], r.get(i).length());
        var sb = new StringBuilder();
        line(sb, headers, width);
        for (var r : rows) line(sb, r, width);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        int start = sb.length();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(cells.get(i));
            if (i < cells.size() - 1) sb.append(" ".repeat(width[i] - cells.get(i).length() + 2));
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }

    /** A JSON value as a cell: text as is, arrays joined with commas, objects as k=v pairs, null/absent as "-". */
    public static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "-";
        if (n.isArray()) {
            var parts = new ArrayList<String>();
            n.forEach(e -> parts.add(text(e)));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        if (n.isObject()) {
            var parts = new ArrayList<String>();
            n.properties().forEach(e -> parts.add(e.getKey() + "=" + text(e.getValue())));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        var s = n.asText();
        return s.isEmpty() ? "-" : s;
    }

    private static String clean(String s) {
        if (s == null || s.isEmpty()) return "-";
        return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
