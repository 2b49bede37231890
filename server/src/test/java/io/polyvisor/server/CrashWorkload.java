package io.polyvisor.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrent clients creating and deleting VMs against one server until it dies, recording every request the
 * server answered 2xx (a promise it must keep across a crash). A request whose answer never arrived (the server
 * died first) has an unknown outcome and is not recorded; its VM may or may not exist afterwards. Each client
 * keeps a few VMs of its own and deletes its oldest once it has {@value #KEEP}, so the fleet stays small over
 * many rounds. Names are unique over the whole test.
 */
final class CrashWorkload {
    private static final int KEEP = 3;

    /** VM names whose create was answered 202. */
    final Set<String> acceptedCreates = ConcurrentHashMap.newKeySet();
    /** VM names whose delete was answered 202. */
    final Set<String> acceptedDeletes = ConcurrentHashMap.newKeySet();
    /** VM names whose delete was sent, answered or not (an unanswered one may have been done). */
    final Set<String> askedDeletes = ConcurrentHashMap.newKeySet();
    private final List<Deque<String>> owned = new ArrayList<>();
    private final HttpClient http;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    CrashWorkload(HttpClient http, int clients) {
        this.http = http;
        for (int i = 0; i < clients; i++) owned.add(new ArrayDeque<>());
    }

    /** Starts the clients of round {@code round} against {@code server}; they run until it dies or {@link #stop}. */
    void start(ServerProcess server, int round) {
        stopping = false;
        threads.clear();
        for (int c = 0; c < owned.size(); c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("crash-client-" + c).start(() -> run(server, round, client)));
        }
    }

    /** Waits for the clients to end (they end once their server is dead). */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) t.join(30_000);
        for (Thread t : threads) if (t.isAlive()) throw new AssertionError(t.getName() + " did not end");
        if (!failures.isEmpty()) throw new AssertionError("clients saw: " + failures);
    }

    private void run(ServerProcess server, int round, int client) {
        Deque<String> mine = owned.get(client);
        try {
            for (int n = 0; !stopping; n++) {
                if (mine.size() >= KEEP) {
                    // given up whatever the answer: a delete whose answer never came is not asked again
                    String name = mine.removeFirst();
                    askedDeletes.add(name);
                    int status = send(server, server.request("/api/v1/vms/" + name).DELETE().build());
                    if (status == 202) acceptedDeletes.add(name);
                    else failures.add("delete " + name + " (its create was answered 202): " + status);
                } else {
                    String name = "r" + round + "c" + client + "n" + n;
                    var body = "{\"name\":\"" + name + "\",\"vcpus\":1,\"memory\":\"16M\"}";
                    int status = send(server, server.request("/api/v1/vms").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                    if (status == 202) {
                        acceptedCreates.add(name);
                        mine.addLast(name);
                    }
                }
            }
        } catch (IOException serverGone) {
            // the answer never came: the outcome of this request is unknown, so nothing is recorded
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e.toString());
        }
    }

    private int send(ServerProcess server, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) throw new AssertionError(request.method() + " " + request.uri() + ": " + r.statusCode() + " " + r.body());
        return r.statusCode();
    }
}
