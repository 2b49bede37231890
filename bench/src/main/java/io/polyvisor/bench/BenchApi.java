package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.server.RunningServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The REST calls a real-VM scenario makes against its in-process server, with the admin token. Every failure is an
 * {@link IllegalStateException} naming the call, so a scenario that cannot measure stops instead of printing a figure.
 */
final class BenchApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final RunningServer server;

    BenchApi(RunningServer server) {
        this.server = server;
    }

    record Answer(int status, JsonNode json) {}

    JsonNode get(String path) {
        return send(req(path).GET()).json;
    }

    Answer post(String path, Object body) {
        return send(req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    Answer put(String path, Object body) {
        return send(req(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    Answer delete(String path) {
        return send(req(path).DELETE());
    }

    /**
     * Adds the fleet's hosts as h1..hN, each with its fence agent ({@code scripts/fence_polyvisor_test_host}, as in
     * production), and waits until every one is connected and healthy.
     */
    void addFencedHosts(io.polyvisor.libvirt.Fleet fleet, java.util.List<String> uris) {
        String agent = io.polyvisor.libvirt.Fleet.find("scripts/fence_polyvisor_test_host").toString();
        for (int i = 1; i <= uris.size(); i++) {
            ok(post("/api/v1/hosts", java.util.Map.of("uri", uris.get(i - 1), "name", "h" + i)), 201);
            ok(put("/api/v1/ha/hosts/h" + i + "/fence-agent", java.util.Map.of("agent", agent,
                    "options", java.util.Map.of("plug", Integer.toString(i), "base", fleet.base().toString()))), 200);
        }
        awaitHostsConnected(uris.size());
    }

    /** The create body's {@code boot} for the tiny guest. */
    static java.util.Map<String, String> boot(io.polyvisor.image.TinyImage img) {
        return java.util.Map.of("kernel", img.kernel().toString(), "initrd", img.initrd().toString(), "cmdline", img.cmdline());
    }

    static void ok(Answer a, int status) {
        if (a.status() != status) throw new IllegalStateException("expected HTTP " + status + ", got " + a.status() + ": " + a.json());
    }

    /** The body of {@code GET http://address/} when it answers 200 within 500 ms, else null. */
    String httpBody(String address) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).timeout(Duration.ofMillis(500)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The first endpoint address of {@code vm} once it runs with one. */
    String awaitEndpoint(String vm) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode v = get("/api/v1/vms/" + vm);
            if (v.path("state").asText().equals("running") && v.path("endpoints").size() > 0) {
                return v.path("endpoints").get(0).path("address").asText();
            }
            pause(100);
        }
        throw new IllegalStateException("vm " + vm + " did not run with an endpoint within 90 s: " + get("/api/v1/vms/" + vm));
    }

    /** Waits until {@code http://address/} answers {@code body}. */
    void awaitBody(String address, String body, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (body.equals(httpBody(address))) return;
            pause(20);
        }
        throw new IllegalStateException("no answer '" + body + "' from http://" + address + "/ within " + timeout);
    }

    /** Every one of {@code count} hosts connected and healthy for HA (a loaded machine can make a probe late). */
    void awaitHostsConnected(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode hosts = null;
        while (System.nanoTime() < deadline) {
            hosts = get("/api/v1/ha/status").path("hosts");
            boolean all = hosts.size() == count;
            for (JsonNode h : hosts) all &= h.path("state").asText().equals("connected") && h.path("health").asText().equals("healthy");
            if (all) return;
            pause(100);
        }
        throw new IllegalStateException("hosts not all connected and healthy within 60 s: " + hosts);
    }

    /** Waits until {@code vm} is in {@code state}; the event log is in the error when it is not. */
    JsonNode awaitVm(String vm, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode v = null;
        while (System.nanoTime() < deadline) {
            v = get("/api/v1/vms/" + vm);
            if (v.path("state").asText().equals(state)) return v;
            pause(200);
        }
        var log = new StringBuilder();
        for (JsonNode e : get("/api/v1/events?limit=1000")) {
            log.append('\n').append(e.path("at").asText()).append(' ').append(e.path("type").asText()).append(' ')
                    .append(e.path("subject").asText()).append(": ").append(e.path("message").asText());
        }
        throw new IllegalStateException("vm " + vm + " is not " + state + " after " + timeout + ": " + v + "\nevents:" + log);
    }

    private HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.token());
    }

    private Answer send(HttpRequest.Builder b) {
        try {
            var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException("API call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
