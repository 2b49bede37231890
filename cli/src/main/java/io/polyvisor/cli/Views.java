package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Table.Column;
import io.polyvisor.model.Sizes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table columns for each kind of object the API returns, and the vertical layout of {@code show}. */
final class Views {
    private Views() {}

    static final List<Column> HOSTS = List.of(
            Column.field("NAME", "name"),
            Column.field("STATE", "state"),
            Column.field("DRIVER", "driver"),
            Column.field("CPUS", "cpus"),
            new Column("MEMORY", n -> bytes(n.get("memory_bytes"))),
            Column.field("VMS", "vm_count"),
            Column.field("LABELS", "labels"),
            Column.field("URI", "uri"));

    static final List<Column> VMS = List.of(
            Column.field("NAME", "name"),
            Column.field("STATE", "state"),
            Column.field("HOST", "host"),
            Column.field("VCPUS", "vcpus"),
            new Column("MEMORY", n -> bytes(n.get("memory_bytes"))),
            Column.field("PROTECTION", "protection"),
            Column.field("PRIORITY", "priority"),
            Column.field("PROJECT", "project"),
            new Column("ENDPOINTS", Views::endpoints),
            Column.field("LABELS", "labels"));

    static final List<Column> TASKS = List.of(
            Column.field("ID", "id"),
            Column.field("KIND", "kind"),
            new Column("VM", t -> t.hasNonNull("vm_name") ? t.get("vm_name").asText() : Table.text(t.get("vm_id"))), // deleted: id
            Column.field("TARGET", "target"),
            Column.field("STATUS", "status"),
            Column.field("ATTEMPTS", "attempts"),
            Column.field("CREATED", "created"),
            Column.field("ERROR", "error"));

    static final List<Column> EVENTS = List.of(
            Column.field("SEQ", "seq"),
            Column.field("AT", "at"),
            Column.field("TYPE", "type"),
            Column.field("SUBJECT", "subject"),
            Column.field("MESSAGE", "message"));

    /** Every field of {@code object}, one per line: {@code name  value}; byte counts also in binary units. */
    static Table fields(JsonNode object) {
        var t = new Table("FIELD", "VALUE");
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            var v = e.getKey().endsWith("_bytes") && e.getValue().isNumber() ? bytes(e.getValue()) : Table.text(e.getValue());
            if (e.getValue().isObject() && e.getKey().equals("usage")) v = usage(e.getValue());
            if (e.getValue().isObject() && e.getKey().equals("ha")) v = HaCommands.role(e.getValue()); // ha helper
            t.row(e.getKey(), v);
        }
        return t;
    }

    static String bytes(JsonNode n) {
        return n == null || !n.isNumber() ? "-" : Sizes.format(n.asLong());
    }

    private static String endpoints(JsonNode vm) {
        var list = new ArrayList<String>();
        var eps = vm.get("endpoints");
        if (eps != null) for (var ep : eps) list.add(Table.text(ep.get("guest_port")) + "->" + Table.text(ep.get("address")));
        return list.isEmpty() ? "-" : String.join(",", list);
    }

    /** Measured usage: bytes to one decimal in the largest fitting unit, other figures to two decimals. */
    static String usage(JsonNode usage) {
        var parts = new ArrayList<String>();
        usage.properties().forEach(e -> {
            var v = e.getValue();
            String text;
            if (e.getKey().endsWith("_bytes") && v.isNumber()) text = approxBytes(v.asLong());
            else if (v.isFloatingPointNumber()) text = String.format(Locale.ROOT, "%.2f", v.asDouble());
            else text = Table.text(v);
            parts.add(e.getKey() + "=" + text);
        });
        return String.join(",", parts);
    }

    /** {@code 201.8 MiB}; exact multiples print as {@link Sizes#format} does ({@code 256 MiB}). */
    static String approxBytes(long bytes) {
        if (bytes < Sizes.KiB || Sizes.format(bytes).matches("\\d+ [KMGT]iB")) return Sizes.format(bytes);
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
