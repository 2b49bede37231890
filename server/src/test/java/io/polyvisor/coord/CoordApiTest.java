package io.polyvisor.coord;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Coordination through the real server: operator and guest REST, leases against VM lifecycle and HA on sim hosts. */
class CoordApiTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    // --- helpers

    TestServer.Response put(String path, String body, String... headers) {
        var r = s.request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return s.send(r.build());
    }

    /** A request as a guest: the VM's coordination token, not the admin token. */
    HttpRequest.Builder guest(String token, String path) {
        var b = HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(30));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    TestServer.Response guestPut(String token, String path, String body, String... headers) {
        var r = guest(token, path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return s.send(r.build());
    }

    TestServer.Response guestPost(String token, String path, String body) {
        return s.send(guest(token, path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    TestServer.Response guestGet(String token, String path) {
        return s.send(guest(token, path).GET().build());
    }

    TestServer.Response guestDelete(String token, String path) {
        return s.send(guest(token, path).DELETE().build());
    }

    String addHost(String dc, String name) {
        var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + name + "?cpus=8&memory=4G\",\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return name;
    }

    /** Creates a running VM in {@code group} (null: no group label) and returns its freshly minted coordination token. */
    String vm(String name, String group, String extra) {
        String labels = group == null ? "{}" : "{\"group\":\"" + group + "\"}";
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"labels\":" + labels + extra + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        var t = s.post("/api/v1/vms/" + name + "/coord-token", "");
        assertThat(t.status()).as(t.text()).isEqualTo(201);
        assertThat(t.json().path("token").asText()).hasSize(64);
        return t.json().path("token").asText();
    }

    JsonNode lease(String group, String name) {
        var r = s.get("/api/v1/coord/" + group + "/leases/" + name);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    // --- key-value

    @Test
    void compareAndSetCreatesOnlyOnceAndMatchesTheCurrentRevision() throws Exception {
        s = TestServer.start(data, 0);
        var created = put("/api/v1/coord/db/kv/config/url?cas=0", "{\"value\":\"pg://a\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().path("revision").asLong()).isEqualTo(1);

        var again = put("/api/v1/coord/db/kv/config/url?cas=0", "{\"value\":\"pg://b\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.detail()).isEqualTo("key config/url already exists at revision 1, cas=0 asks to create it");

        var stale = put("/api/v1/coord/db/kv/config/url?cas=7", "{\"value\":\"pg://b\"}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.detail()).isEqualTo("key config/url is at revision 1, cas=7 does not match");
        var withHeaders = java.net.http.HttpClient.newHttpClient().send(s.request("/api/v1/coord/db/kv/config/url?cas=7")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"x\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(withHeaders.statusCode()).isEqualTo(409);
        assertThat(withHeaders.headers().firstValue("X-Polyvisor-Revision")).contains("1");

        var other = put("/api/v1/coord/db/kv/config/other", "{\"value\":\"x\"}");
        assertThat(other.json().path("revision").asLong()).isEqualTo(2);
        var swapped = put("/api/v1/coord/db/kv/config/url?cas=1", "{\"value\":\"pg://b\"}");
        assertThat(swapped.status()).as(swapped.text()).isEqualTo(200);
        assertThat(swapped.json().path("revision").asLong()).isEqualTo(3);

        var read = s.get("/api/v1/coord/db/kv/config/url");
        assertThat(read.json().path("value").asText()).isEqualTo("pg://b");
        assertThat(read.json().path("revision").asLong()).isEqualTo(3);
        var list = s.get("/api/v1/coord/db/kv?prefix=config/").json();
        assertThat(list.path("revision").asLong()).isEqualTo(3);
        assertThat(list.path("entries").findValuesAsText("key")).containsExactly("config/other", "config/url");
        // groups are separate
        assertThat(s.get("/api/v1/coord/web/kv/config/url").status()).isEqualTo(404);

        var deleted = s.delete("/api/v1/coord/db/kv/config/url?cas=3");
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(deleted.json().path("revision").asLong()).isEqualTo(4);
        assertThat(s.get("/api/v1/coord/db/kv/config/url").status()).isEqualTo(404);
        // a deleted key is absent again: cas=0 creates it
        assertThat(put("/api/v1/coord/db/kv/config/url?cas=0", "{\"value\":\"again\"}").json().path("revision").asLong()).isEqualTo(5);
    }

    @Test
    void watchReturnsOnTheChangeAfterTheIndexOrAtTimeout() throws Exception {
        s = TestServer.start(data, 0);
        long rev = put("/api/v1/coord/db/kv/leader/addr", "{\"value\":\"10.0.0.1\"}").json().path("revision").asLong();

        // already changed after index 0: at once
        assertThat(s.get("/api/v1/coord/db/kv/leader/addr?wait=30&index=0").json().path("value").asText()).isEqualTo("10.0.0.1");

        var watch = CompletableFuture.supplyAsync(() -> s.get("/api/v1/coord/db/kv/leader/addr?wait=30&index=" + rev));
        var prefixWatch = CompletableFuture.supplyAsync(() -> s.get("/api/v1/coord/db/kv?prefix=leader/&wait=30&index=" + rev));
        Thread.sleep(500);
        assertThat(watch).isNotDone();
        put("/api/v1/coord/db/kv/unrelated", "{\"value\":\"u\"}");
        Thread.sleep(300);
        assertThat(watch).isNotDone();
        assertThat(prefixWatch).isNotDone();
        put("/api/v1/coord/db/kv/leader/addr", "{\"value\":\"10.0.0.2\"}");
        var changed = watch.get(20, TimeUnit.SECONDS);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("value").asText()).isEqualTo("10.0.0.2");
        assertThat(changed.json().path("revision").asLong()).isGreaterThan(rev);
        var listed = prefixWatch.get(20, TimeUnit.SECONDS).json();
        assertThat(listed.path("entries").findValuesAsText("value")).containsExactly("10.0.0.2");
        long now = listed.path("revision").asLong();

        // no change: returns at the timeout with the revision unchanged
        long t0 = System.nanoTime();
        var timedOut = s.get("/api/v1/coord/db/kv/leader/addr?wait=1&index=" + now);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(timedOut.json().path("revision").asLong()).isLessThanOrEqualTo(now);

        // a delete wakes the watch with a tombstone
        var deletion = CompletableFuture.supplyAsync(() -> s.get("/api/v1/coord/db/kv/leader/addr?wait=30&index=" + now));
        Thread.sleep(300);
        assertThat(s.delete("/api/v1/coord/db/kv/leader/addr").status()).isEqualTo(200);
        var gone = deletion.get(20, TimeUnit.SECONDS).json();
        assertThat(gone.path("deleted").asBoolean()).isTrue();
        assertThat(gone.path("value").isMissingNode() || gone.path("value").isNull()).isTrue();
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        s = TestServer.start(data, 0);
        assertThat(put("/api/v1/coord/db/kv/counter?cas=0", "{\"value\":\"0\"}").status()).isEqualTo(200);
        int threads = 8, attempts = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < attempts; i++) {
                    JsonNode cur = s.get("/api/v1/coord/db/kv/counter").json();
                    long next = Long.parseLong(cur.path("value").asText()) + 1;
                    var r = put("/api/v1/coord/db/kv/counter?cas=" + cur.path("revision").asLong(), "{\"value\":\"" + next + "\"}");
                    if (r.status() == 200) ok++;
                    else assertThat(r.status()).as(r.text()).isEqualTo(409);
                }
                return ok;
            }));
        }
        int successes = 0;
        for (Future<Integer> f : done) successes += f.get(120, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(successes).isPositive();
        JsonNode last = s.get("/api/v1/coord/db/kv/counter").json();
        assertThat(Long.parseLong(last.path("value").asText())).isEqualTo(successes);
        assertThat(last.path("revision").asLong()).isEqualTo(1 + successes);
    }

    @Test
    void hostileInputIsRefusedWithAReasonAndNothingIsWritten() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        addHost(dc, "h1");
        String token = vm("db1", "db", "");
        String loner = vm("loner", null, "");

        var big = put("/api/v1/coord/db/kv/big", "{\"value\":\"" + "x".repeat(40 * 1024) + "\"}");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.detail()).isEqualTo("value must be at most 32768 bytes of UTF-8, got 40960");
        var bigGuest = guestPut(token, "/v1/kv/big", "{\"value\":\"" + "x".repeat(40 * 1024) + "\"}");
        assertThat(bigGuest.status()).isEqualTo(400);
        var tooLong = put("/api/v1/coord/db/kv/" + "k".repeat(257), "{\"value\":\"v\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.detail()).isEqualTo("key must be at most 256 characters, got 257");
        var dots = put("/api/v1/coord/db/kv/a/../b", "{\"value\":\"v\"}");
        assertThat(dots.status()).isEqualTo(400);
        assertThat(dots.detail()).isEqualTo("key must not have '.' or '..' segments, got 'a/../b'");
        var plainDots = guestPut(token, "/v1/kv/a/../b", "{\"value\":\"v\"}");
        assertThat(plainDots.status()).isBetween(400, 499);
        var dotsBefore = put("/api/v1/coord/db/./kv/x", "{\"value\":\"v\"}");
        assertThat(dotsBefore.status()).isBetween(400, 499);
        var kvGroup = put("/api/v1/coord/kv/kv/x", "{\"value\":\"v\"}");
        assertThat(kvGroup.json().path("key").asText()).as(kvGroup.text()).isEqualTo("x");
        assertThat(s.delete("/api/v1/coord/kv/kv/x").status()).isEqualTo(200);
        var encodedDots = guestPut(token, "/v1/kv/a/%2e%2e/b", "{\"value\":\"v\"}");
        assertThat(encodedDots.status()).isBetween(400, 499);
        var charset = put("/api/v1/coord/db/kv/a%20b", "{\"value\":\"v\"}");
        assertThat(charset.status()).isEqualTo(400);
        assertThat(charset.detail()).isEqualTo("key may hold only letters, digits, '.', '_', '-' and '/', got 'a b'");
        var badCas = put("/api/v1/coord/db/kv/k?cas=-1", "{\"value\":\"v\"}");
        assertThat(badCas.detail()).isEqualTo("cas must be a whole number of 0 or more, got '-1'");
        assertThat(s.get("/api/v1/coord/db/kv/k?wait=61&index=0").detail()).isEqualTo("wait must be between 0 and 60 seconds, got 61");
        var badFence = put("/api/v1/coord/db/kv/k", "{\"value\":\"v\"}", "If-Match-Token", "leader");
        assertThat(badFence.detail()).isEqualTo("If-Match-Token must be LEASE:TOKEN, got 'leader'");
        // nothing was written by any of these
        var all = s.get("/api/v1/coord/db/kv").json();
        assertThat(all.path("revision").asLong()).isZero();
        assertThat(all.path("entries")).isEmpty();

        // identity: no token, a wrong one, the admin token, a VM without a group
        assertThat(guestGet(null, "/v1/self").status()).isEqualTo(401);
        var wrong = guestGet("0".repeat(64), "/v1/kv/k");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.detail()).isEqualTo("wrong coordination token");
        assertThat(guestGet(s.server.token(), "/v1/self").status()).isEqualTo(401);
        var noGroup = guestGet(loner, "/v1/self");
        assertThat(noGroup.status()).isEqualTo(403);
        assertThat(noGroup.detail()).isEqualTo("VM loner has no label group=NAME, so no group to coordinate in");
        // and the admin routes refuse a VM token
        assertThat(s.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/coord/db/kv"))
                .header("Authorization", "Bearer " + token).GET().build()).status()).isEqualTo(401);
        // a token minted again replaces the first
        var remint = s.post("/api/v1/vms/db1/coord-token", "");
        assertThat(guestGet(token, "/v1/self").status()).isEqualTo(401);
        assertThat(guestGet(remint.json().path("token").asText(), "/v1/self").json().path("group").asText()).isEqualTo("db");
        // the token is in no event
        assertThat(s.get("/api/v1/events?limit=500").text()).doesNotContain(token, remint.json().path("token").asText());
    }

    // --- guests and leases

    @Test
    void guestsSeeOnlyTheirGroupAndLeaseTokensStrictlyIncreaseAcrossHolders() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        addHost(dc, "h1");
        String a = vm("db1", "db", ""), b = vm("db2", "db", ""), w = vm("web1", "web", "");

        var self = guestGet(a, "/v1/self").json();
        assertThat(self.path("name").asText()).isEqualTo("db1");
        assertThat(self.path("group").asText()).isEqualTo("db");
        assertThat(guestPut(a, "/v1/kv/shared", "{\"value\":\"from-db1\"}").status()).isEqualTo(200);
        assertThat(guestGet(b, "/v1/kv/shared").json().path("value").asText()).isEqualTo("from-db1");
        assertThat(guestGet(w, "/v1/kv/shared").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/coord/db/kv/shared").json().path("value").asText()).isEqualTo("from-db1");
        // keys with several segments, through the guest API too
        assertThat(guestPut(a, "/v1/kv/config/db/url", "{\"value\":\"pg://a\"}").status()).isEqualTo(200);
        assertThat(guestGet(b, "/v1/kv/config/db/url").json().path("value").asText()).isEqualTo("pg://a");
        assertThat(guestGet(b, "/v1/kv?prefix=config/").json().path("entries").findValuesAsText("key")).containsExactly("config/db/url");

        var first = guestPost(a, "/v1/leases/leader", "{\"ttl_s\":30}");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().path("holder").asText()).isEqualTo("db1");
        assertThat(first.json().path("token").asLong()).isEqualTo(1);
        assertThat(first.json().path("ttl_s").asInt()).isEqualTo(30);
        assertThat(first.json().path("expires_at").asText()).isNotEmpty();

        var busy = guestPost(b, "/v1/leases/leader", "");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.detail()).startsWith("lease leader of group db is held by db1 (token 1) until ");
        var renewed = guestPost(a, "/v1/leases/leader", "{\"ttl_s\":30}");
        assertThat(renewed.json().path("token").asLong()).isEqualTo(1);
        assertThat(guestDelete(b, "/v1/leases/leader").status()).isEqualTo(409);
        var released = guestDelete(a, "/v1/leases/leader");
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().path("holder").isNull() || released.json().path("holder").isMissingNode()).isTrue();

        var second = guestPost(b, "/v1/leases/leader", "");
        assertThat(second.json().path("holder").asText()).isEqualTo("db2");
        assertThat(second.json().path("token").asLong()).isEqualTo(2);
        // web's lease of the same name is its own
        assertThat(guestPost(w, "/v1/leases/leader", "").json().path("token").asLong()).isEqualTo(1);
        guestDelete(b, "/v1/leases/leader");
        assertThat(guestPost(a, "/v1/leases/leader", "").json().path("token").asLong()).isEqualTo(3);

        // fencing: db2's token 2 is stale now; db1's token 3 writes
        var stale = guestPut(b, "/v1/kv/data", "{\"value\":\"old leader\"}", "If-Match-Token", "leader:2");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.detail()).isEqualTo("fencing token 2 of lease leader is stale: the lease is at token 3, held by db1");
        assertThat(guestGet(a, "/v1/kv/data").status()).isEqualTo(404);
        assertThat(guestPut(a, "/v1/kv/data", "{\"value\":\"new leader\"}", "If-Match-Token", "leader:3").status()).isEqualTo(200);
        var staleDelete = s.send(guest(b, "/v1/kv/data").header("If-Match-Token", "leader:2").DELETE().build());
        assertThat(staleDelete.status()).isEqualTo(409);
        assertThat(guestGet(a, "/v1/kv/data").json().path("value").asText()).isEqualTo("new leader");

        // operators see and free leases
        assertThat(s.get("/api/v1/coord/leases").json().findValuesAsText("group")).contains("db", "web");
        assertThat(s.delete("/api/v1/coord/db/leases/leader").status()).isEqualTo(200);
        assertThat(lease("db", "leader").path("holder").isNull() || lease("db", "leader").path("holder").isMissingNode()).isTrue();
        var forDb2 = s.post("/api/v1/coord/db/leases/leader", "{\"holder\":\"db2\",\"ttl_s\":10}");
        assertThat(forDb2.json().path("token").asLong()).isEqualTo(4);
        var notMember = s.post("/api/v1/coord/db/leases/leader2", "{\"holder\":\"web1\"}");
        assertThat(notMember.status()).isEqualTo(409);
        assertThat(notMember.detail()).isEqualTo("VM web1 is not a member of group db (its label group is web)");
    }

    @Test
    void aLeaseIsRevokedWhenItsHolderStopsOrIsDeletedNotAfterItsTtl() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        addHost(dc, "h1");
        String a = vm("db1", "db", ""), b = vm("db2", "db", "");

        assertThat(guestPost(a, "/v1/leases/leader", "{\"ttl_s\":600}").json().path("token").asLong()).isEqualTo(1);
        assertThat(s.post("/api/v1/vms/db1/stop", "").status()).isBetween(200, 202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lease("db", "leader").path("holder").isTextual()).isFalse());
        var next = guestPost(b, "/v1/leases/leader", "{\"ttl_s\":600}");
        assertThat(next.json().path("holder").asText()).isEqualTo("db2");
        assertThat(next.json().path("token").asLong()).isEqualTo(2);
        assertThat(guestPut(a, "/v1/kv/x", "{\"value\":\"v\"}", "If-Match-Token", "leader:1").status()).isEqualTo(409);
        // a stopped VM may not take the lease back
        assertThat(guestPost(a, "/v1/leases/other", "").status()).isEqualTo(409);

        assertThat(s.delete("/api/v1/vms/db2").status()).isBetween(200, 202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lease("db", "leader").path("holder").isTextual()).isFalse());
        assertThat(lease("db", "leader").path("token").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(guestGet(b, "/v1/self").status()).isEqualTo(401));
        assertThat(s.get("/api/v1/events?limit=500").text()).contains("lease.revoked", "holder VM db1 stopped");
    }

    @Test
    void aLeaseIsRevokedWhenHaFencesItsHoldersHostAndAnotherMemberTakesItWithALargerToken() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        addHost(dc, "h1");
        addHost(dc, "h2");
        addHost(dc, "h3");
        String a = vm("db1", "db", ",\"protection\":\"restart\"");
        String b = vm("db2", "db", "");
        String victim = s.get("/api/v1/vms/db1").json().path("host").asText();
        if (s.get("/api/v1/vms/db2").json().path("host").asText().equals(victim)) {
            var moved = s.post("/api/v1/vms/db2/migrate", "{\"to\":\"" + (victim.equals("h3") ? "h2" : "h3") + "\"}");
            assertThat(moved.status()).as(moved.text()).isEqualTo(202);
            s.awaitTask(moved.json().path("id").asText(moved.json().path("task").path("id").asText()));
        }
        assertThat(guestPost(a, "/v1/leases/leader", "{\"ttl_s\":600}").json().path("token").asLong()).isEqualTo(1);

        SimDatacenter.named(dc).crashHost(victim);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lease("db", "leader").path("holder").isTextual()).isFalse());
        String events = s.get("/api/v1/events?limit=500").text();
        assertThat(events).contains("host.fenced", "lease.revoked");
        assertThat(s.get("/api/v1/events?limit=500").json()).filteredOn(e -> e.path("type").asText().equals("lease.revoked"))
                .extracting(e -> e.path("message").asText()).singleElement().asString()
                .isEqualTo("lease leader of group db revoked from db1 (token 1): host " + victim + " of holder VM db1 was fenced");
        var next = guestPost(b, "/v1/leases/leader", "{\"ttl_s\":600}");
        assertThat(next.status()).as(next.text()).isEqualTo(200);
        assertThat(next.json().path("token").asLong()).isEqualTo(2);
        // the restarted db1 is a new instance with a new token: the old one is cut off, and a write fenced with the
        // old lease token is refused whoever sends it
        assertThat(guestPut(a, "/v1/kv/x", "{\"value\":\"v\"}", "If-Match-Token", "leader:1").status()).isEqualTo(401);
        assertThat(put("/api/v1/coord/db/kv/x", "{\"value\":\"v\"}", "If-Match-Token", "leader:1").status()).isEqualTo(409);
    }
    @Test
    void aWatchLongerThanTheWebServersIdleTimeoutStillAnswers() throws Exception {
        s = TestServer.start(data, 0);
        long rev = put("/api/v1/coord/db/kv/k", "{\"value\":\"1\"}").json().path("revision").asLong();
        // the web server closes a connection idle for 10 s; a watch handler waiting 12 s must still get its answer out
        var watch = CompletableFuture.supplyAsync(() -> s.get("/api/v1/coord/db/kv/k?wait=30&index=" + rev));
        Thread.sleep(12_000);
        assertThat(watch).isNotDone();
        put("/api/v1/coord/db/kv/k", "{\"value\":\"2\"}");
        var r = watch.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("value").asText()).isEqualTo("2");
    }
}
