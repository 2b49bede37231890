package io.polyvisor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor coord kv|leases ...} against a real in-process server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordCliTest {
    RunningServer server;

    @BeforeAll
    void start(@TempDir Path data) {
        server = PolyvisorServer.start(ServerConfig.of(data).withPort(0));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    CliRun cli(String... args) {
        return ServerCli.run(server, args);
    }

    @Test
    void kvPutWithCasGetListDeleteAndLeasesList() throws Exception {
        var put = cli("coord", "kv", "put", "db", "config/url", "pg://a", "--cas", "0");
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out()).contains("config/url", "pg://a");
        var again = cli("coord", "kv", "put", "db", "config/url", "pg://b", "--cas", "0");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("key config/url already exists at revision 1, cas=0 asks to create it");
        var bad = cli("coord", "kv", "put", "db", "a/../b", "v");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("key must not have '.' or '..' segments, got 'a/../b'");

        var get = cli("-o", "json", "coord", "kv", "get", "db", "config/url");
        assertThat(get.exit()).as(get.err()).isZero();
        var json = new ObjectMapper().readTree(get.out());
        assertThat(json.path("value").asText()).isEqualTo("pg://a");
        assertThat(json.path("revision").asLong()).isEqualTo(1);
        var list = cli("coord", "kv", "list", "db", "--prefix", "config/");
        assertThat(list.out()).contains("KEY", "config/url");
        assertThat(cli("coord", "kv", "delete", "db", "config/url", "--cas", "1").exit()).isZero();
        assertThat(cli("coord", "kv", "get", "db", "config/url").err()).contains("key config/url not found in group db");

        var leases = cli("coord", "leases", "list");
        assertThat(leases.exit()).as(leases.err()).isZero();
        assertThat(leases.out()).contains("GROUP", "HOLDER", "TOKEN");
        assertThat(cli("coord", "leases", "release", "db", "leader").err()).contains("lease leader not found in group db");
    }

    @Test
    void projectsPeersAndMessages() throws Exception {
        assertThat(cli("project", "create", "red").exit()).isZero();
        assertThat(cli("host", "add", "sim://" + io.polyvisor.server.TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G", "--name", "h1").exit()).isZero();
        var vm = cli("vm", "create", "w1", "--vcpus", "1", "--memory", "64M", "--project", "red", "--label", "group=web");
        assertThat(vm.exit()).as(vm.err()).isZero();

        assertThat(cli("coord", "kv", "put", "web", "k", "red-value", "--project", "red").exit()).isZero();
        assertThat(cli("coord", "kv", "put", "web", "k", "default-value").exit()).isZero();
        assertThat(cli("coord", "kv", "get", "web", "k", "--project", "red").out()).contains("red-value").doesNotContain("default-value");
        assertThat(cli("coord", "kv", "list", "web").out()).contains("default-value").doesNotContain("red-value");

        var peers = cli("coord", "peers", "web", "--project", "red");
        assertThat(peers.exit()).as(peers.err()).isZero();
        assertThat(peers.out()).contains("NAME", "w1", "h1");
        assertThat(cli("coord", "peers", "web").out()).doesNotContain("w1");

        assertThat(cli("coord", "leases", "list", "--project", "red").out()).contains("PROJECT").doesNotContain("default");
        var pub = cli("coord", "messages", "publish", "web", "news", "deploy at 5", "--project", "red");
        assertThat(pub.exit()).as(pub.err()).isZero();
        var read = cli("-o", "json", "coord", "messages", "read", "web", "news", "--project", "red", "--after", "0");
        assertThat(read.exit()).as(read.err()).isZero();
        var json = new ObjectMapper().readTree(read.out());
        assertThat(json.path("project").asText()).isEqualTo("red");
        assertThat(json.path("messages").findValuesAsText("body")).containsExactly("deploy at 5");
        assertThat(cli("coord", "messages", "read", "web", "news").out()).doesNotContain("deploy at 5");
        var badTopic = cli("coord", "messages", "read", "web", "../x");
        assertThat(badTopic.exit()).isNotZero();
        assertThat(badTopic.err()).contains("topic must be 1 to 63 letters");
    }
}
