package io.polyvisor.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code polyvisor server --db jdbc:postgresql://...}: the same create, restart and delete on a real
 * PostgreSQL (a fresh schema, dropped after). Never skipped: fails with how to start PostgreSQL if it is not there.
 */
class ServerOnPostgresTest {
    static final String URL = env("POLYVISOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/polyvisor_test");
    static final String USER = env("POLYVISOR_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("POLYVISOR_TEST_PG_PASSWORD", "postgres");

    @TempDir
    Path data;

    @Test
    void vmSurvivesRestartOnPostgres() {
        String schema = "pv_server_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        try {
            String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            var config = ServerConfig.of(data).withPort(0).withSimHosts(2).withTiming(TestServer.FAST).withDatabase(url, USER, PASSWORD);
            String dc = TestServer.uniqueDatacenter();
            String id;
            try (var s = TestServer.start(config)) {
                assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/p1\"}").status()).isEqualTo(201);
                var r = s.post("/api/v1/vms", "{\"name\":\"pg1\",\"memory\":\"128M\",\"host\":\"p1\"}");
                assertThat(r.status()).as(r.text()).isEqualTo(202);
                id = r.json().path("vm").path("id").asText();
                s.awaitTask(r.json().path("task").path("id").asText());
            }
            try (var s = TestServer.start(config)) {
                JsonNode vm = s.await("/api/v1/vms/pg1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(5));
                assertThat(vm.path("id").asText()).isEqualTo(id);
                assertThat(s.get("/api/v1/hosts").json()).hasSize(3);
                var d = s.delete("/api/v1/vms/pg1");
                s.awaitTask(d.json().path("id").asText());
                assertThat(s.get("/api/v1/vms").json()).isEmpty();
                assertThat(s.get("/api/v1/events?limit=1000").json()).extracting(e -> e.path("type").asText())
                        .containsSubsequence("host.added", "vm.created", "task.succeeded", "vm.deleted");
            }
        } finally {
            sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + URL + " as " + USER + " (" + e.getMessage() + ")."
                    + " Start it with `sudo scripts/postgres-up`, or point POLYVISOR_TEST_PG_URL, POLYVISOR_TEST_PG_USER and"
                    + " POLYVISOR_TEST_PG_PASSWORD at another one.", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
