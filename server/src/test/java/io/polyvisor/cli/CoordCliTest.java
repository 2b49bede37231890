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

    @Test
    void kvWatchesAnswerOnTheNextChange() throws Exception {
        var first = cli("-o", "json", "coord", "kv", "put", "watched", "cfg/a", "1");
        assertThat(first.exit()).as(first.err()).isZero();
        long rev = new ObjectMapper().readTree(first.out()).path("revision").asLong();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var keyWatch = pool.submit(() -> cli("-o", "json", "coord", "kv", "get", "watched", "cfg/a", "--index", Long.toString(rev), "--wait", "30"));
            var listWatch = pool.submit(() -> cli("-o", "json", "coord", "kv", "list", "watched", "--prefix", "cfg/", "--index", Long.toString(rev), "--wait", "30"));
            Thread.sleep(500);
            assertThat(keyWatch.isDone()).as("a watch waits for a change").isFalse();
            assertThat(cli("coord", "kv", "put", "watched", "cfg/a", "2").exit()).isZero();
            var key = new ObjectMapper().readTree(keyWatch.get(20, java.util.concurrent.TimeUnit.SECONDS).out());
            assertThat(key.path("value").asText()).isEqualTo("2");
            assertThat(key.path("revision").asLong()).isGreaterThan(rev);
            var list = new ObjectMapper().readTree(listWatch.get(20, java.util.concurrent.TimeUnit.SECONDS).out());
            assertThat(list.path("entries").get(0).path("value").asText()).isEqualTo("2");
        } finally {
            pool.shutdownNow();
        }
        var table = cli("coord", "kv", "list", "watched");
        assertThat(table.out()).contains("cfg/a").containsPattern("revision \\d+ \\(pass it as --index");
        var noIndex = cli("coord", "kv", "get", "watched", "cfg/a", "--wait", "1");
        assertThat(noIndex.exit()).isNotZero();
        assertThat(noIndex.err()).contains("index");
    }

    @Test
    void leasesAreAcquiredForAMemberShownAndReleased() throws Exception {
        assertThat(cli("host", "add", "sim://" + io.polyvisor.server.TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G", "--name", "lh1").exit()).isZero();
        for (String vm : new String[] {"m1", "m2"}) {
            var made = cli("vm", "create", vm, "--vcpus", "1", "--memory", "64M", "--label", "group=elect");
            assertThat(made.exit()).as(made.err()).isZero();
        }
        var got = cli("-o", "json", "coord", "leases", "acquire", "elect", "leader", "--holder", "m1", "--ttl", "30");
        assertThat(got.exit()).as(got.err()).isZero();
        var lease = new ObjectMapper().readTree(got.out());
        assertThat(lease.path("holder").asText()).isEqualTo("m1");
        assertThat(lease.path("ttl_s").asInt()).isEqualTo(30);
        long token = lease.path("token").asLong();
        assertThat(token).isPositive();

        var taken = cli("coord", "leases", "acquire", "elect", "leader", "--holder", "m2");
        assertThat(taken.exit()).as("held by m1").isNotZero();
        assertThat(taken.err()).contains("m1");
        assertThat(cli("coord", "leases", "show", "elect", "leader").out()).contains("HOLDER", "m1", Long.toString(token));
        var badTtl = cli("coord", "leases", "acquire", "elect", "leader", "--holder", "m1", "--ttl", "601");
        assertThat(badTtl.err()).contains("ttl_s must be between 1 and 600, got 601");

        var fenced = cli("coord", "kv", "put", "elect", "primary", "m1", "--fence", "leader:" + token);
        assertThat(fenced.exit()).as(fenced.err()).isZero();
        var stale = cli("coord", "kv", "put", "elect", "primary", "old", "--fence", "leader:" + (token + 1));
        assertThat(stale.exit()).as("a token that is not the lease's current one is refused").isNotZero();
        assertThat(cli("coord", "kv", "get", "elect", "primary").out()).contains("m1").doesNotContain("old");
        assertThat(cli("coord", "kv", "delete", "elect", "primary", "--fence", "leader").err())
                .contains("If-Match-Token must be LEASE:TOKEN, got 'leader'");

        assertThat(cli("coord", "leases", "release", "elect", "leader").exit()).isZero();
        var next = new ObjectMapper().readTree(cli("-o", "json", "coord", "leases", "acquire", "elect", "leader", "--holder", "m2").out());
        assertThat(next.path("holder").asText()).isEqualTo("m2");
        assertThat(next.path("token").asLong()).as("fencing tokens only grow").isGreaterThan(token);
    }

    @Test
    void userDataIsSetFromAFileShownExactlyAndCleared(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(cli("host", "add", "sim://" + io.polyvisor.server.TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G", "--name", "uh1").exit()).isZero();
        assertThat(cli("vm", "create", "u1", "--vcpus", "1", "--memory", "64M", "--label", "group=cfg").exit()).isZero();
        var file = dir.resolve("user-data.sh");
        String text = "#!/bin/sh\necho ünïcode\n";
        java.nio.file.Files.writeString(file, text);
        var set = cli("vm", "user-data", "set", "u1", "--file", file.toString());
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("user data of vm u1 set (" + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes)");
        assertThat(cli("vm", "user-data", "show", "u1").out()).isEqualTo(text);

        java.nio.file.Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        var notText = cli("vm", "user-data", "set", "u1", "--file", file.toString());
        assertThat(notText.exit()).isNotZero();
        assertThat(notText.err()).contains("is not UTF-8 text");
        var tooBig = cli("vm", "user-data", "set", "u1", "--text", "x".repeat(16 * 1024 + 1));
        assertThat(tooBig.err()).contains("user_data must be at most 16384 bytes of UTF-8, got 16385");
        assertThat(cli("vm", "user-data", "set", "u1").exit()).as("--file or --text is required").isNotZero();
        assertThat(cli("vm", "user-data", "show", "u1").out()).as("nothing changed by a refusal").isEqualTo(text);

        assertThat(cli("vm", "user-data", "clear", "u1").out()).contains("user data of vm u1 removed (0 bytes)");
        assertThat(cli("-o", "json", "vm", "user-data", "show", "u1").out()).contains("\"user_data\" : null");
        assertThat(cli("vm", "user-data", "show", "nope").err()).contains("vm nope not found");

        java.nio.file.Files.writeString(file, "at create\n");
        var made = cli("vm", "create", "u2", "--vcpus", "1", "--memory", "64M", "--user-data", file.toString());
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(cli("vm", "user-data", "show", "u2").out()).isEqualTo("at create\n");
    }
}
