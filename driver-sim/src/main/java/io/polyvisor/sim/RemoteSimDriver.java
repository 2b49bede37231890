package io.polyvisor.sim;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.Compute;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostInfo;
import io.polyvisor.spi.Migration;
import io.polyvisor.spi.MigrationResult;
import io.polyvisor.spi.PowerState;
import io.polyvisor.model.VmSpec;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.DoubleConsumer;

/**
 * A host of a simulated data centre served by another process ({@link SimServe}, {@code polyvisor sim-serve}):
 * {@code simremote://127.0.0.1:PORT/HOST}. Compute and live migration only; loopback only. Every server of a cluster
 * reaches the same hosts and domains this way.
 */
public final class RemoteSimDriver implements DriverProvider {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.COMPUTE, Capability.MIGRATION));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return "simremote";
    }

    @Override
    public List<String> schemes() {
        return List.of("simremote");
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** @throws DriverException a URI that is not simremote://LOOPBACK:PORT/HOST (not retryable) */
    @Override
    public HostConnection connect(URI uri) {
        String host = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || uri.getPort() <= 0 || host.isEmpty() || host.contains("/")) {
            throw new DriverException("a simremote URI is simremote://127.0.0.1:PORT/HOST, got " + uri);
        }
        if (!uri.getHost().equals("127.0.0.1") && !uri.getHost().equals("localhost")) {
            throw new DriverException("simremote serves loopback only: use 127.0.0.1, got " + uri.getHost());
        }
        return new Remote(uri, URI.create("http://127.0.0.1:" + uri.getPort() + "/"), host);
    }

    private static final class Remote implements HostConnection {
        private final URI uri;
        private final URI base;
        private final String host;

        Remote(URI uri, URI base, String host) {
            this.uri = uri;
            this.base = base;
            this.host = host;
        }

        String call(String method, String op, String... params) {
            var q = new StringBuilder();
            for (int i = 0; i + 1 < params.length; i += 2) {
                q.append(q.isEmpty() ? "?" : "&").append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
            }
            var req = HttpRequest.newBuilder(base.resolve(host + "/" + op + q)).timeout(Duration.ofSeconds(60))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> r;
            try {
                r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw DriverException.unreachable(host, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DriverException.unreachable(host, e);
            }
            if (r.statusCode() == 200) return r.body();
            String[] err = r.body().split("\n", 2);
            throw new DriverException(err.length == 2 ? err[1] : r.body(), err[0].equals("retryable"), null);
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public String driver() {
            return "simremote";
        }

        @Override
        public Set<Capability> capabilities() {
            return CAPABILITIES;
        }

        @Override
        public HostInfo info() {
            String[] f = call("GET", "info").split("\t");
            return new HostInfo(f[0], f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]));
        }

        /** From the data centre's list of answering hosts, shared by every host of the endpoint ({@link AliveBoard}). */
        @Override
        public boolean alive() {
            return AliveBoard.of(base).alive(host);
        }

        @Override
        public Compute compute() {
            return new Compute() {
                @Override
                public List<DomainInfo> list() {
                    return Arrays.stream(call("GET", "list").split("\n")).filter(l -> !l.isBlank()).map(Remote::domain).toList();
                }

                @Override
                public Optional<DomainInfo> lookup(UUID id) {
                    String l = call("GET", "lookup", "id", id.toString());
                    return l.isBlank() ? Optional.empty() : Optional.of(domain(l));
                }

                @Override
                public DomainInfo define(UUID id, String name, VmSpec spec) {
                    return domain(call("POST", "define", "id", id.toString(), "name", name, "vcpus", "" + spec.vcpus(),
                            "memory", "" + spec.memoryBytes()));
                }

                @Override
                public void start(UUID id) {
                    call("POST", "start", "id", id.toString());
                }

                @Override
                public void shutdown(UUID id) {
                    call("POST", "shutdown", "id", id.toString());
                }

                @Override
                public void destroy(UUID id) {
                    call("POST", "destroy", "id", id.toString());
                }

                @Override
                public void reboot(UUID id) {
                    call("POST", "reboot", "id", id.toString());
                }

                @Override
                public void suspend(UUID id) {
                    call("POST", "suspend", "id", id.toString());
                }

                @Override
                public void resume(UUID id) {
                    call("POST", "resume", "id", id.toString());
                }

                @Override
                public void undefine(UUID id) {
                    call("POST", "undefine", "id", id.toString());
                }
            };
        }

        @Override
        public Migration migration() {
            return (UUID id, HostConnection destination, DoubleConsumer progress) -> {
                if (!(destination instanceof Remote d) || !d.base.equals(base)) {
                    throw new DriverException("simremote migrates only between hosts of the same sim-serve");
                }
                String[] f = call("POST", "migrate", "id", id.toString(), "to", d.host).split("\t");
                progress.accept(1.0);
                return new MigrationResult(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
            };
        }

        static DomainInfo domain(String line) {
            String[] f = line.split("\t");
            return new DomainInfo(UUID.fromString(f[0]), f[1], PowerState.valueOf(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]));
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return uri.toString();
        }
    }
}
