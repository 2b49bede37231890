package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.DriverRegistry;
import io.polyvisor.spi.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimDriverTest {

    @Test
    void isFoundByItsSchemeThroughTheServiceLoader() {
        var driver = DriverRegistry.load().forUri(URI.create("sim://x/h1"));
        assertThat(driver).isInstanceOf(SimDriver.class);
        assertThat(driver.name()).isEqualTo("sim");
        assertThat(driver.capabilities()).as("every group but the display: a simulated VM has no screen")
                .containsExactlyInAnyOrderElementsOf(java.util.EnumSet.complementOf(java.util.EnumSet.of(Capability.DISPLAY)));
    }

    @Test
    void aUriAddsItsHostWithDefaultOrGivenCapacity() {
        SimDatacenter.create("uris", 1, SimClock.virtual(Instant.EPOCH));
        try (var d = new SimDriver().connect(URI.create("sim://uris/h1"));
             var g = new SimDriver().connect(URI.create("sim://uris/h2?cpus=4&memory=8G"))) {
            assertThat(d.info()).isEqualTo(new HostInfo("h1", "sim", "1.0", 32, 128 * Sizes.GiB));
            assertThat(g.info()).isEqualTo(new HostInfo("h2", "sim", "1.0", 4, 8 * Sizes.GiB));
        }
        assertThat(SimDatacenter.named("uris").hosts()).containsExactly("h1", "h2");
    }

    @Test
    void anExistingHostMustBeAskedForWithItsOwnCapacity() {
        SimDatacenter.create("again", 1, SimClock.virtual(Instant.EPOCH));
        new SimDriver().connect(URI.create("sim://again/h1?cpus=4")).close();
        new SimDriver().connect(URI.create("sim://again/h1")).close();
        new SimDriver().connect(URI.create("sim://again/h1?cpus=4&memory=128G")).close();
        assertThatThrownBy(() -> new SimDriver().connect(URI.create("sim://again/h1?cpus=8")))
                .isInstanceOf(DriverException.class)
                .hasMessage("sim host h1 already exists with 4 CPUs and 128 GiB; the URI asks for another capacity");
    }

    @Test
    void connectingToACrashedHostFailsAsUnreachable() {
        var dc = SimDatacenter.create("down", 1, SimClock.virtual(Instant.EPOCH));
        dc.addHost("h1", 4, 8 * Sizes.GiB);
        dc.crashHost("h1");
        assertThatThrownBy(() -> new SimDriver().connect(URI.create("sim://down/h1")))
                .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void aClosedConnectionRefusesCalls() {
        SimDatacenter.create("closing", 1, SimClock.virtual(Instant.EPOCH));
        var c = new SimDriver().connect(URI.create("sim://closing/h1"));
        c.close();
        assertThat(c.alive()).isFalse();
        assertThatThrownBy(() -> c.compute().list()).isInstanceOf(DriverException.class)
                .hasMessage("connection to sim://closing/h1 is closed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sim:///h1                    | sim URI must look like sim://DATACENTER/HOST[?cpus=N&memory=SIZE], got 'sim:///h1'",
            "sim://dc                     | sim URI must look like sim://DATACENTER/HOST[?cpus=N&memory=SIZE], got 'sim://dc'",
            "sim://dc/H1                  | host name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'H1'",
            "sim://dc:99/h1               | sim URI must look like sim://DATACENTER/HOST[?cpus=N&memory=SIZE], got 'sim://dc:99/h1'",
            "sim://dc/h1?cpus=x           | cpus must be a whole number, got 'x'",
            "sim://dc/h1?cpus=0           | cpus must be between 1 and 4096, got 0",
            "sim://dc/h1?memory=12Q       | memory must be a size such as 512M, 4G or 1T, got '12Q'",
            "sim://dc/h1?memory=512M      | memory must be between 1 GiB and 64 TiB, got 512 MiB",
            "sim://dc/h1?disk=1T          | unknown sim URI parameter 'disk'; known: cpus, memory",
    })
    void malformedUrisAreRefusedWithExactMessages(String uri, String message) {
        SimDatacenter.create("dc", 1, SimClock.virtual(Instant.EPOCH));
        assertThatThrownBy(() -> new SimDriver().connect(URI.create(uri)))
                .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage(message);
    }
}
