package io.polyvisor.cli;

import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code polyvisor servers} against real servers: one on H2 leads and owns every host; two on PostgreSQL split them. */
class ServersCliTest {
    @TempDir
    Path data;

    @Test
    void aServerAloneOnH2LeadsAndOwnsEveryHost() {
        try (var s = TestServer.start(data, 2)) {
            var r = ServerCli.run(s.server, "servers");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("NAME", "ADDRESS", "ROLE", "HOSTS", "HEARTBEAT", "OWNED", s.server.url().toString(), "leader", "h1,h2");
        }
    }

    @Test
    void twoServersOnPostgresAreListedByEitherWithTheirHosts() throws Exception {
        String url = env("POLYVISOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/polyvisor_test");
        String user = env("POLYVISOR_TEST_PG_USER", "postgres");
        String password = env("POLYVISOR_TEST_PG_PASSWORD", "postgres");
        String schema = "servers_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (var c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + url + ": start it with `sudo scripts/postgres-up`", e);
        }
        String db = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (var a = TestServer.start(ServerConfig.of(data.resolve("a")).withPort(0).withSimHosts(4).withTiming(TestServer.FAST)
                .withDatabase(db, user, password).withServerName("alpha"));
             var b = TestServer.start(ServerConfig.of(data.resolve("b")).withPort(0).withTiming(TestServer.FAST)
                     .withDatabase(db, user, password).withServerName("beta"))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var r = ServerCli.run(b.server, "servers", "-o", "json");
                assertThat(r.exit()).as(r.err()).isZero();
                var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
                assertThat(list).hasSize(2);
                assertThat(list.get(0).path("name").asText()).isEqualTo("alpha");
                assertThat(list.get(0).path("role").asText()).isEqualTo("leader");
                assertThat(list.get(1).path("role").asText()).isEqualTo("member");
                assertThat(list.get(0).path("hosts_owned").size() + list.get(1).path("hosts_owned").size()).isEqualTo(4);
                assertThat(list.get(1).path("hosts_owned").size()).isEqualTo(2);
            });
            var table = ServerCli.run(a.server, "servers");
            assertThat(table.out()).contains("alpha", "beta", a.server.url().toString(), b.server.url().toString(), "s ago");
        } finally {
            try (var c = DriverManager.getConnection(url, user, password)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
