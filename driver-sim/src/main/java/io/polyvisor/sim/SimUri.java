package io.polyvisor.sim;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Sizes;
import io.polyvisor.spi.DriverException;

import java.net.URI;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed {@code sim://DATACENTER/HOST[?cpus=N&memory=SIZE]}. Capacity parameters apply when the URI adds the
 * host; for an existing host they must match it.
 */
record SimUri(String datacenter, String host, OptionalInt cpus, Optional<Long> memoryBytes) {
    static final int DEFAULT_CPUS = 32;
    static final long DEFAULT_MEMORY = 128 * Sizes.GiB;
    private static final String FORM = "sim URI must look like sim://DATACENTER/HOST[?cpus=N&memory=SIZE], got '";

    /** @throws DriverException (not retryable) naming what is wrong */
    static SimUri parse(URI uri) {
        try {
            if (!"sim".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null || !uri.getPath().startsWith("/")
                    || uri.getPort() != -1 || uri.getUserInfo() != null || uri.getFragment() != null) {
                throw new InvalidInput(FORM + uri + "'");
            }
            var dc = Names.requireName("datacenter", uri.getHost());
            var host = Names.requireName("host", uri.getPath().substring(1));
            OptionalInt cpus = OptionalInt.empty();
            Optional<Long> memory = Optional.empty();
            if (uri.getRawQuery() != null) {
                for (var pair : uri.getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    var key = eq < 0 ? pair : pair.substring(0, eq);
                    var value = eq < 0 ? "" : pair.substring(eq + 1);
                    switch (key) {
                        case "cpus" -> cpus = OptionalInt.of(parseCpus(value));
                        case "memory" -> memory = Optional.of(Sizes.parse("memory", value));
                        default -> throw new InvalidInput("unknown sim URI parameter '" + key + "'; known: cpus, memory");
                    }
                }
            }
            return new SimUri(dc, host, cpus, memory);
        } catch (InvalidInput e) {
            throw new DriverException(e.getMessage());
        }
    }

    private static int parseCpus(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInput("cpus must be a whole number, got '" + value + "'");
        }
    }
}
