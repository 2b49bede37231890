package io.polyvisor.ha;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The service endpoint proxy with two real HTTP servers standing in for the primary's and standby's guest ports. */
class TcpProxyTest {
    final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    InetSocketAddress serve(String body) throws IOException {
        var s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        servers.add(s);
        return s.getAddress();
    }

    @Test
    void forwardsToTheCurrentTargetAndSwitchesAtOnce() throws Exception {
        var primary = serve("primary");
        var standby = serve("standby");
        var target = new AtomicReference<>(primary);
        try (var proxy = new TcpProxy(0, target::get)) {
            var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/")).timeout(Duration.ofSeconds(5)).build();
            assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("primary");

            long t0 = System.nanoTime();
            target.set(standby);
            proxy.retarget();
            // a fresh client (a kept-alive connection was cut by retarget) reaches the standby
            var http2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThat(http2.send(req, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("standby");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        }
    }

    @Test
    void aClientIsClosedWhenThereIsNoTarget() throws Exception {
        try (var proxy = new TcpProxy(0, () -> null);
             var s = new java.net.Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(2_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }
}
