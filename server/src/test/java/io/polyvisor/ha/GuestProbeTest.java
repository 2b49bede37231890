package io.polyvisor.ha;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP health check against a real HTTP server, a server answering 500, and a closed port. */
class GuestProbeTest {
    @Test
    void answersAreHealthyErrorsAndSilenceAreNot() throws Exception {
        var probe = GuestProbe.http();
        var s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/") ? 200 : 404, -1);
            ex.close();
        });
        s.start();
        var broken = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        broken.createContext("/", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        broken.start();
        int closed;
        try (var free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        try {
            assertThat(probe.healthy(s.getAddress().getPort())).isTrue();
            assertThat(probe.healthy(broken.getAddress().getPort())).isFalse();
            assertThat(probe.healthy(closed)).isFalse();
        } finally {
            s.stop(0);
            broken.stop(0);
        }
    }
}
