package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamTest {
    @TempDir
    Path data;

    /** One SSE frame: id, event and data lines up to a blank line. */
    record Frame(long id, String event, String data) {}

    /**
     * The web server's 10 s idle timeout ends stalled requests, not a quiet stream: the server only writes (a
     * heartbeat after 15 s of quiet), and a write that goes through keeps the connection.
     */
    @Test
    void aQuietStreamOutlivesTheIdleTimeout() throws Exception {
        try (var s = TestServer.start(data, 0); var client = HttpClient.newHttpClient()) {
            var res = client.send(s.request("/api/v1/events/stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).isEqualTo(200);
            long t0 = System.nanoTime();
            try (var in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.equals(": heartbeat")) {
                    assertThat(line).as("only the opening comment and blank lines before the heartbeat").matches("(: stream of events.*)?");
                }
                assertThat(line).as("the stream was closed before its heartbeat").isEqualTo(": heartbeat");
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to the heartbeat").isGreaterThan(14_000L);
        }
    }

    @Test
    void streamDeliversNewEventsAndResumesAfterLastEventId() throws Exception {
        try (var s = TestServer.start(data, 0); var client = HttpClient.newHttpClient()) {
            String dc = TestServer.uniqueDatacenter();
            BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            var res = client.send(s.request("/api/v1/events/stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            Thread reader = Thread.ofVirtual().start(() -> read(res.body(), frames));

            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}").status()).isEqualTo(201);
            var created = s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"64M\"}");
            s.awaitTask(created.json().path("task").path("id").asText());

            List<Frame> got = new ArrayList<>();
            while (got.stream().noneMatch(f -> f.event().equals("task.succeeded"))) {
                Frame f = frames.poll(5, TimeUnit.SECONDS);
                assertThat(f).as("frames so far: " + got).isNotNull();
                got.add(f);
            }
            assertThat(got).extracting(Frame::event).containsSubsequence("host.added", "vm.created", "task.started",
                    "vm.state", "task.succeeded");
            for (int i = 1; i < got.size(); i++) assertThat(got.get(i).id()).isGreaterThan(got.get(i - 1).id());
            Frame first = got.get(0);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.data()).path("seq").asLong()).isEqualTo(first.id());
            var state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    got.stream().filter(f -> f.event().equals("vm.state")).findFirst().orElseThrow().data());
            assertThat(state.path("data").path("state").asText()).as("a vm.state event carries the new state: " + state).isEqualTo("running");
            assertThat(state.path("data").path("host").asText()).isEqualTo("h1");
            reader.interrupt();
            res.body().close();

            // resume: Last-Event-ID = the host.added event; the next one delivered is the one after it
            var again = client.send(s.request("/api/v1/events/stream").header("Last-Event-ID", Long.toString(first.id())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BlockingQueue<Frame> more = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> read(again.body(), more));
            Frame next = more.poll(5, TimeUnit.SECONDS);
            assertThat(next).isNotNull();
            assertThat(next.id()).isEqualTo(got.get(1).id());
            again.body().close();
        }
    }

    /**
     * A viewer's stream carries the vm.* and task.* events of the VMs of its projects, its VM's deletion included, and
     * nothing of another project's VM or of hosts; its ids are the log's seqs (skipped events leave gaps).
     */
    @Test
    void aViewerStreamsOnlyTheEventsOfItsProjectsVms() throws Exception {
        try (var s = TestServer.start(data, 0); var client = HttpClient.newHttpClient()) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
            assertThat(s.post("/api/v1/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
            var user = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"web\"]}");
            assertThat(user.status()).as(user.text()).isEqualTo(201);
            var res = client.send(s.request("/api/v1/events/stream").setHeader("Authorization", "Bearer " + user.json().path("token").asText())
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).isEqualTo(200);
            BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> read(res.body(), frames));

            s.awaitTask(s.post("/api/v1/vms", "{\"name\":\"other1\",\"memory\":\"64M\"}").json().path("task").path("id").asText());
            s.awaitTask(s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"64M\",\"project\":\"web\"}")
                    .json().path("task").path("id").asText());
            assertThat(s.delete("/api/v1/vms/web1").status()).isEqualTo(202);

            List<Frame> got = new ArrayList<>();
            while (got.stream().noneMatch(f -> f.event().equals("vm.deleted"))) {
                Frame f = frames.poll(10, TimeUnit.SECONDS);
                assertThat(f).as("frames so far: " + got).isNotNull();
                got.add(f);
            }
            assertThat(got).extracting(Frame::event).containsSubsequence("vm.created", "task.started", "vm.state", "task.succeeded",
                    "vm.deleted");
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            for (Frame f : got) {
                assertThat(mapper.readTree(f.data()).path("subject").asText()).as(f.toString()).isEqualTo("web1");
                assertThat(f.event()).as(f.toString()).matches("(vm|task)\\..*");
            }
            var all = s.get("/api/v1/events?limit=1000").json();
            assertThat(all.findValuesAsText("subject")).as("the admin's log has the others").contains("other1", "h1");
            reader.interrupt();
            res.body().close();
        }
    }

    /**
     * An operator's stream carries the network events of its project (the network's deletion included) and none of
     * another project's network.
     */
    @Test
    void anOperatorStreamsTheNetworkEventsOfItsProjectOnly() throws Exception {
        try (var s = TestServer.start(data, 0); var client = HttpClient.newHttpClient()) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
            assertThat(s.post("/api/v1/projects", "{\"name\":\"p\"}").status()).isEqualTo(201);
            assertThat(s.post("/api/v1/projects", "{\"name\":\"q\"}").status()).isEqualTo(201);
            var user = s.post("/api/v1/users", "{\"name\":\"olga\",\"role\":\"operator\",\"projects\":[\"p\"]}");
            assertThat(user.status()).as(user.text()).isEqualTo(201);
            assertThat(s.post("/api/v1/networks", "{\"name\":\"early\",\"cidr\":\"10.29.0.0/24\",\"project\":\"p\"}").status())
                    .as("made before the stream: known from its bulk read").isEqualTo(201);
            var res = client.send(s.request("/api/v1/events/stream").setHeader("Authorization", "Bearer " + user.json().path("token").asText())
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).isEqualTo(200);
            BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> read(res.body(), frames));

            var qnet = s.post("/api/v1/networks", "{\"name\":\"qnet\",\"cidr\":\"10.31.0.0/24\",\"project\":\"q\"}");
            assertThat(qnet.status()).as(qnet.text()).isEqualTo(201);
            var pnet = s.post("/api/v1/networks", "{\"name\":\"pnet\",\"cidr\":\"10.30.0.0/24\",\"project\":\"p\"}");
            assertThat(pnet.status()).as(pnet.text()).isEqualTo(201);
            assertThat(s.delete("/api/v1/networks/qnet").status()).isEqualTo(200);
            assertThat(s.delete("/api/v1/networks/pnet").status()).isEqualTo(200);

            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> got = new ArrayList<>();
            while (!got.contains("network.deleted pnet")) {
                Frame f = frames.poll(10, TimeUnit.SECONDS);
                assertThat(f).as("frames so far: " + got).isNotNull();
                got.add(f.event() + " " + mapper.readTree(f.data()).path("subject").asText());
            }
            assertThat(got).contains("network.created early", "network.created pnet").noneMatch(e -> e.endsWith(" qnet"));
            assertThat(s.get("/api/v1/events?limit=1000").json().findValuesAsText("subject")).as("the admin's log has q's")
                    .contains("qnet");
            reader.interrupt();
            res.body().close();
        }
    }

    /**
     * List-then-watch: the VM list says which event it reflects; the stream after that seq starts with the first change
     * made after the list (nothing older), so a client that lists and follows misses and replays nothing.
     */
    @Test
    void aVmListSaysWhichEventItReflectsAndTheStreamGoesOnFromThere() throws Exception {
        try (var s = TestServer.start(data, 0); var client = HttpClient.newHttpClient()) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}").status()).isEqualTo(201);
            s.awaitTask(s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"64M\"}").json().path("task").path("id").asText());
            var list = client.send(s.request("/api/v1/vms").build(), HttpResponse.BodyHandlers.ofString());
            long through = Long.parseLong(list.headers().firstValue("X-Polyvisor-Events-Through").orElseThrow());
            var log = s.get("/api/v1/events?limit=1000").json();
            assertThat(through).as("the list reflects every event so far").isEqualTo(log.get(log.size() - 1).path("seq").asLong());
            assertThat(list.body()).contains("\"state\":\"running\"");

            assertThat(s.post("/api/v1/vms/web1/stop", "{}").status()).isEqualTo(202);
            var res = client.send(s.request("/api/v1/events/stream?after=" + through).build(), HttpResponse.BodyHandlers.ofInputStream());
            BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> read(res.body(), frames));
            Frame first = frames.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.id()).isEqualTo(through + 1);
            assertThat(first.event()).as("the stop's first event, not an older one").isEqualTo("task.queued");
            reader.interrupt();
            res.body().close();
        }
    }

    @Test
    void badLastEventIdIsAProblemNotAStream() {
        try (var s = TestServer.start(data, 0)) {
            var r = s.send(s.request("/api/v1/events/stream").header("Last-Event-ID", "abc").build());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.detail()).isEqualTo("Last-Event-ID must be an event seq (a whole number), got 'abc'");
        }
    }

    static void read(java.io.InputStream in, BlockingQueue<Frame> out) {
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            long id = -1;
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null) out.add(new Frame(id, event, data.toString()));
                    id = -1;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (Exception e) {
            // stream closed
        }
    }
}
