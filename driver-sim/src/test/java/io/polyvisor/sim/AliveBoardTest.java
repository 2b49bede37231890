package io.polyvisor.sim;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code simremote} liveness through {@code sim-serve}'s one {@code GET /alive} per endpoint: a host answers while it
 * is up, not once crashed or partitioned, again once healed; once the endpoint is gone, no host answers.
 */
class AliveBoardTest {
    @Test
    void eachHostsLivenessFollowsTheDataCentreAndAGoneEndpointAnswersForNone() throws Exception {
        var dc = SimDatacenter.named("alive-" + UUID.randomUUID().toString().substring(0, 8));
        for (String h : new String[] {"h1", "h2", "h3"}) dc.addHost(h, 8, 16L << 30);
        var driver = new RemoteSimDriver();
        var serve = SimServe.start(dc, 0);
        var h1 = driver.connect(URI.create("simremote://127.0.0.1:" + serve.port() + "/h1"));
        var h2 = driver.connect(URI.create("simremote://127.0.0.1:" + serve.port() + "/h2"));
        var h3 = driver.connect(URI.create("simremote://127.0.0.1:" + serve.port() + "/h3"));
        assertThat(h1.alive()).isTrue();
        assertThat(h2.alive()).isTrue();
        dc.crashHost("h2");
        dc.partition("h3");
        Thread.sleep(2 * AliveBoard.FRESH.toMillis());
        assertThat(h1.alive()).isTrue();
        assertThat(h2.alive()).as("crashed").isFalse();
        assertThat(h3.alive()).as("partitioned").isFalse();
        dc.heal("h3");
        Thread.sleep(2 * AliveBoard.FRESH.toMillis());
        assertThat(h3.alive()).as("healed").isTrue();
        serve.close();
        Thread.sleep(2 * AliveBoard.FRESH.toMillis());
        assertThat(h1.alive()).as("sim-serve is gone").isFalse();
    }
}
