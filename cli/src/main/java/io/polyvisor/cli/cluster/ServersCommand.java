package io.polyvisor.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code polyvisor servers}: the servers sharing the database (docs/CLUSTER.md), through {@code GET /api/v1/servers}:
 * name, address, role, hosts owned and how long ago each last renewed its heartbeat (by the database's clock).
 */
@Command(name = "servers", description = "List the Polyvisor servers sharing this database: address, role, hosts owned, last heartbeat.")
public final class ServersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        JsonNode servers = cli.client().get("/api/v1/servers");
        cli.print(servers, table(servers));
    }

    static Table table(JsonNode servers) {
        var t = new Table("NAME", "ADDRESS", "ROLE", "HOSTS", "HEARTBEAT", "OWNED");
        for (JsonNode s : servers) {
            List<String> hosts = new ArrayList<>();
            s.path("hosts_owned").forEach(h -> hosts.add(h.asText()));
            String beat = s.path("alive").asBoolean()
                    ? String.format(Locale.ROOT, "%.1f s ago", s.path("heartbeat_age_ms").asLong() / 1000.0)
                    : "gone (" + String.format(Locale.ROOT, "%.0f s ago", s.path("heartbeat_age_ms").asLong() / 1000.0) + ")";
            t.row(s.path("name").asText(), s.path("address").asText(), s.path("role").asText(), String.valueOf(hosts.size()), beat,
                    hosts.size() > 8 ? String.join(",", hosts.subList(0, 8)) + ",..." : String.join(",", hosts));
        }
        return t;
    }
}
