package io.polyvisor.realvm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP to a guest through its forwarded loopback port. */
final class GuestHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private GuestHttp() {}

    /** The body (stripped) of a 200 answer to {@code GET http://address/path}, or null if none came within 2 s. */
    static String get(String address, String path) {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String awaitBody(String address, String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var body = get(address, path);
            if (body != null) return body;
            pause(100);
        }
        throw new AssertionError("no HTTP answer from http://" + address + path + " within " + timeout);
    }

    /** POSTs {@code body} to {@code http://address/path}; the answer's body (stripped) when it is 200, else an AssertionError. */
    static String post(String address, String path, String body) {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new AssertionError("POST http://" + address + path + " answered " + r.statusCode());
            return r.body().strip();
        } catch (IOException e) {
            throw new AssertionError("POST http://" + address + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
