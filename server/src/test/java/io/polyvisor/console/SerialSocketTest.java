package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may open a VM's serial console WebSocket, over plain HTTP with the JDK's WebSocket client. */
class SerialSocketTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=16G\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"64M\"}").status()).isEqualTo(202);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"cold\",\"memory\":\"64M\",\"start\":false}").status()).isEqualTo(202);
        s.await("/api/v1/vms/web1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    /** What happened to one connection: the first binary message's text, and the close code and reason. */
    record Outcome(String firstOutput, int code, String reason) {}

    static Outcome connect(String vm, String token, String origin) throws Exception {
        return connect(s, vm, "serial", token, origin);
    }

    /** As above, to {@code /api/v1/vms/VM/SOCKET} of server {@code s}. */
    static Outcome connect(TestServer s, String vm, String socket, String token, String origin) throws Exception {
        var output = new CompletableFuture<String>();
        var closed = new CompletableFuture<Outcome>();
        var b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (origin != null) b.header("Origin", origin);
        WebSocket ws = b.buildAsync(URI.create(s.server.url().toString().replace("http:", "ws:") + "/api/v1/vms/" + vm + "/" + socket), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                output.complete(new String(b, java.nio.charset.StandardCharsets.UTF_8));
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed.complete(new Outcome(output.getNow(null), code, reason));
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            return closed.get(3, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException open) {
            String first = output.get(5, TimeUnit.SECONDS);
            ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
            return new Outcome(first, -1, "open");
        }
    }

    @Test
    void theTokenOpensTheConsole() throws Exception {
        var o = connect("web1", s.server.token(), null);
        assertThat(o.reason()).isEqualTo("open");
        assertThat(o.firstOutput()).isEqualTo("sim serial console of web1\r\n");
    }

    @Test
    void withoutACredentialItIsClosedAtOnce() throws Exception {
        assertThat(connect("web1", null, null)).isEqualTo(new Outcome(null, 1008, "missing or wrong token, or session expired"));
        assertThat(connect("web1", "wrong", null)).isEqualTo(new Outcome(null, 1008, "missing or wrong token, or session expired"));
    }

    @Test
    void anotherOriginIsRefused() throws Exception {
        assertThat(connect("web1", s.server.token(), "http://evil.example")).isEqualTo(new Outcome(null, 1008, "cross-site WebSocket refused"));
    }

    @Test
    void aVmThatDoesNotRunOrDoesNotExistIsRefused() throws Exception {
        assertThat(connect("cold", s.server.token(), null)).isEqualTo(new Outcome(null, 1008, "vm cold is stopped, not running"));
        assertThat(connect("nope", s.server.token(), null)).isEqualTo(new Outcome(null, 1008, "vm nope not found"));
    }
}
