package io.polyvisor.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops sending is let go after the idle timeout (10 s), not 30: a body that stops arriving gets a 408
 * problem and a log line without secrets; a request head that never ends has no request to answer, so its
 * connection is closed.
 */
class StalledRequestTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 1);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void aBodyThatStopsArrivingIsA408AfterTheIdleTimeoutAndIsLogged() {
        var log = (Logger) LoggerFactory.getLogger(BodyLimit.class);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        log.addAppender(appender);
        try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
            long t0 = System.nanoTime();
            c.send(("POST /api/v1/vms?probe=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.server.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\"").getBytes(StandardCharsets.UTF_8));
            var answer = c.read();
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(answer.problem(408)).isEqualTo("request body stopped arriving: nothing for 10 s after 7 of 100 bytes");
            assertThat(ms).as("ms to the answer").isBetween(9_500L, 15_000L);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        } finally {
            log.detachAppender(appender);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().satisfies(line -> assertThat(line)
                .startsWith("408: request body stalled for 10 s after 7 of 100 bytes: POST /api/v1/vms from 127.0.0.1:")
                .doesNotContain(s.server.token()).doesNotContain("probe").doesNotContain("name"));
        assertThat(s.get("/api/v1/vms").json()).isEmpty();
    }

    @Test
    void aRequestHeadThatNeverEndsIsClosedAfterTheIdleTimeout() {
        try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
            long t0 = System.nanoTime();
            c.send("GET /api/v1/hosts HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.closedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to the close").isBetween(9_500L, 15_000L);
        }
    }
}
