package io.polyvisor.console;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.polyvisor.console.SerialSocketTest.Outcome;
import static io.polyvisor.console.SerialSocketTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may open a VM's display WebSocket ({@code /api/v1/vms/{ref}/vnc}), and the display as a create field, on the
 * simulator (whose VMs have no screen; the real display is DisplayRealVmTest's and GraphicalConsoleTest's).
 */
class DisplaySocketTest {
    @TempDir
    static Path data;
    static TestServer s;
    static String viewer;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=16G\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"plain\",\"memory\":\"64M\"}").status()).isEqualTo(202);
        var gui = s.post("/api/v1/vms", "{\"name\":\"gui\",\"memory\":\"64M\",\"display\":\"vnc\"}");
        assertThat(gui.status()).as(gui.text()).isEqualTo(202);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"cold\",\"memory\":\"64M\",\"display\":\"vnc\",\"start\":false}").status()).isEqualTo(202);
        s.await("/api/v1/vms/gui", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        s.await("/api/v1/vms/plain", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(20));
        var user = s.post("/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\",\"projects\":[\"default\"]}");
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        viewer = user.json().path("token").asText();
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @Test
    void aVmShowsItsDisplayAndAWrongOneIsRefusedWithNothingMade() {
        assertThat(s.get("/api/v1/vms/gui").json().path("display").asText()).isEqualTo("vnc");
        assertThat(s.get("/api/v1/vms/plain").json().path("display").asText()).isEqualTo("none");
        var bad = s.post("/api/v1/vms", "{\"name\":\"bad\",\"memory\":\"64M\",\"display\":\"spice\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("detail").asText()).contains("display").contains("spice");
        assertThat(s.get("/api/v1/vms/bad").status()).isEqualTo(404);
    }

    @Test
    void onlyOperatorsOfARunningVmWithADisplayOnAHostThatOffersOneGetIt() throws Exception {
        assertThat(connect(s, "gui", "vnc", null, null)).isEqualTo(new Outcome(null, 1008, "missing or wrong token, or session expired"));
        assertThat(connect(s, "gui", "vnc", s.server.token(), "http://evil.example"))
                .isEqualTo(new Outcome(null, 1008, "cross-site WebSocket refused"));
        assertThat(connect(s, "gui", "vnc", viewer, null))
                .isEqualTo(new Outcome(null, 1008, "viewers cannot open a display: it takes keyboard and mouse input"));
        assertThat(connect(s, "plain", "vnc", s.server.token(), null))
                .isEqualTo(new Outcome(null, 1008, "vm plain has no display (create it with display vnc)"));
        assertThat(connect(s, "cold", "vnc", s.server.token(), null)).isEqualTo(new Outcome(null, 1008, "vm cold is stopped, not running"));
        assertThat(connect(s, "nope", "vnc", s.server.token(), null)).isEqualTo(new Outcome(null, 1008, "vm nope not found"));
        var simulated = connect(s, "gui", "vnc", s.server.token(), null);
        assertThat(simulated.code()).as("the simulator offers no display: " + simulated).isEqualTo(1011);
        assertThat(simulated.reason()).contains("graphical display");
    }
}
