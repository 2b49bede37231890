package io.polyvisor.storage;

import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage API tests' ground: a real server with two simulated hosts {@code h1} and {@code h2} (8 vCPUs, 16 GiB) of
 * a data centre of its own, each host's pool read directly through the simulator, and refusals checked to the letter.
 */
abstract class SimHostsApi {
    @TempDir
    Path data;
    TestServer s;
    String dc;

    @BeforeEach
    void start() {
        s = TestServer.start(data, 0);
        dc = TestServer.uniqueDatacenter();
        for (String h : List.of("h1", "h2")) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    /** Host {@code host}'s pool as the simulator holds it (not through the server). */
    Storage pool(String host) {
        return new SimDriver().connect(URI.create("sim://" + dc + "/" + host)).storage();
    }

    /** The answer is {@code status} with problem+json whose detail is exactly {@code detail}. */
    void refused(TestServer.Response r, int status, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo(detail);
    }
}
