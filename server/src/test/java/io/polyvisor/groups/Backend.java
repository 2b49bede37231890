package io.polyvisor.groups;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server standing in for a member's forwarded guest port: {@code /} answers its name,
 * {@code /health} answers {@link #healthStatus}, {@code /slow} answers after {@link #slowMillis}.
 */
final class Backend implements AutoCloseable {
    final String name;
    final HttpServer server;
    volatile int healthStatus = 200;
    volatile int slowMillis = 1500;
    final AtomicInteger served = new AtomicInteger();

    Backend(String name) {
        this(name, 0);
    }

    Backend(String name, int port) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/health", ex -> {
            byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(healthStatus, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex);
        });
        server.createContext("/", this::reply);
        server.start();
    }

    private void reply(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        served.incrementAndGet();
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
