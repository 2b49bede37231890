package io.polyvisor.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.access.Project;
import io.polyvisor.access.Quota;
import io.polyvisor.drivers.Connections;
import io.polyvisor.events.Journal;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.DriverRegistry;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import io.polyvisor.tasks.TaskQueue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Quotas on H2 and a real PostgreSQL: the 422 with its figures, and parallel creates that never exceed a limit. */
class QuotaTest {
    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void parallelCreatesThroughTheApiNeverExceedTheQuota(String db) throws Exception {
        try (var dbs = new Databases(db, data); var s = TestServer.start(dbs.config(0))) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
            var p = s.post("/api/v1/projects", "{\"name\":\"q\",\"quota\":{\"vms\":5,\"vcpus\":12,\"memory_bytes\":" + Sizes.GiB + "}}");
            assertThat(p.status()).as(p.text()).isEqualTo(201);
            int clients = 16;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            var go = new CountDownLatch(1);
            List<Future<TestServer.Response>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String body = "{\"name\":\"q" + i + "\",\"vcpus\":2,\"memory\":\"64M\",\"project\":\"q\",\"start\":false}";
                answers.add(pool.submit(() -> {
                    go.await();
                    return s.post("/api/v1/vms", body);
                }));
            }
            go.countDown();
            int accepted = 0;
            for (var f : answers) {
                var r = f.get();
                if (r.status() == 202) {
                    accepted++;
                } else {
                    RolesApiTest.problem(r, 422, "project q is over its vms quota: 5 used + 1 asked > 5 limit");
                    assertThat(r.json().path("type").asText()).isEqualTo("/problems/over-quota");
                    assertThat(r.json().path("quota")).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                            "{\"project\":\"q\",\"resource\":\"vms\",\"used\":5,\"asked\":1,\"limit\":5}"));
                }
            }
            pool.shutdown();
            assertThat(accepted).isEqualTo(5);
            JsonNode usage = s.get("/api/v1/projects/q").json().path("usage");
            assertThat(usage.path("vms").asLong()).isEqualTo(5);
            assertThat(usage.path("vcpus").asLong()).isEqualTo(10);

            // the next limit to break is named with its figures: vcpus, then memory
            assertThat(s.send(s.request("/api/v1/projects/q").header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"quota\":{\"vms\":null}}")).build()).status()).isEqualTo(200);
            var vcpus = s.post("/api/v1/vms", "{\"name\":\"big\",\"vcpus\":4,\"memory\":\"64M\",\"project\":\"q\"}");
            RolesApiTest.problem(vcpus, 422, "project q is over its vcpus quota: 10 used + 4 asked > 12 limit");
            assertThat(vcpus.json().path("quota").path("limit").asLong()).isEqualTo(12);
            var memory = s.post("/api/v1/vms", "{\"name\":\"big\",\"vcpus\":1,\"memory\":\"1G\",\"project\":\"q\"}");
            RolesApiTest.problem(memory, 422, "project q is over its memory quota: 320 MiB used + 1 GiB asked > 1 GiB limit");
            assertThat(memory.json().path("quota").path("used").asLong()).isEqualTo(320 * Sizes.MiB);
            assertThat(s.get("/api/v1/vms/big").status()).isEqualTo(404); // nothing written
        }
    }

    /**
     * Two create paths over one database, as two servers sharing it would have: each serializes its own creates, so only
     * the project row's lock, taken in the inserting transaction, keeps them together under the quota.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void twoServersCreatingAtOnceStayUnderTheQuota(String db) throws Exception {
        try (var dbs = new Databases(db, data); Store store = db.equals("h2") ? Stores.embedded(data)
                : Stores.open(dbs.url(), io.polyvisor.store.PostgresStoreTestAccess.user(), io.polyvisor.store.PostgresStoreTestAccess.password())) {
            store.insertProject(new Project("q", new Quota(null, null, 7)));
            List<VmRequests> servers = List.of(requests(store), requests(store));
            int perServer = 12;
            ExecutorService pool = Executors.newFixedThreadPool(2 * 4);
            var go = new CountDownLatch(1);
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < 2 * perServer; i++) {
                VmRequests r = servers.get(i % 2);
                String name = "c" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    try {
                        r.create(new VmRequests.Create(name, VmSpec.of(1, 64 * Sizes.MiB), Map.of(), null, null, null, false, "q", null));
                        return true;
                    } catch (Refusal e) {
                        assertThat(e.kind()).isEqualTo(Refusal.Kind.OVER_QUOTA);
                        return false;
                    }
                }));
            }
            go.countDown();
            int accepted = 0;
            for (var f : done) accepted += f.get() ? 1 : 0;
            pool.shutdown();
            assertThat(accepted).isEqualTo(7);
            assertThat(store.projectUsage("q").vms()).isEqualTo(7);
            assertThat(store.vms().stream().filter(v -> v.project().equals("q")).count()).isEqualTo(7);
        }
    }

    static VmRequests requests(Store store) {
        Connections conns = new Connections(new DriverRegistry(List.of(new SimDriver())), store);
        return new VmRequests(store, () -> (snapshot, request) -> new Placement.Placed("h1", List.of()),
                () -> new ClusterSnapshot(List.of(), List.of(), Map.of()), new VmUpdates(store), new Journal(store), conns,
                new TaskQueue(() -> {}, Clock.systemUTC()));
    }
}
