package io.polyvisor.cli;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.ServerConfig;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code server --tls}: HTTPS with a certificate made in DATA/tls/ or given, trusted by the CLI through --ca. */
class TlsCliTest {
    @TempDir
    Path data;
    @TempDir
    Path other;

    static ServerConfig tls(Path data) {
        return ServerConfig.of(data).withPort(0).withTiming(TestServer.FAST).withTls(new ServerConfig.Tls(true, null, null, false));
    }

    static CliRun cli(URI url, String token, String... args) {
        var all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of("--url", url.toString()));
        return CliRun.of(Map.of("POLYVISOR_TOKEN", token), all.toArray(String[]::new));
    }

    @Test
    void aSelfSignedCertificateIsMadeOnceAndTheCliTrustsItByCa() throws Exception {
        Path cert = data.resolve("tls/cert.pem"), key = data.resolve("tls/key.pem");
        byte[] first;
        try (var server = PolyvisorServer.start(tls(data))) {
            assertThat(server.url().getScheme()).isEqualTo("https");
            assertThat(server.certificate()).isEqualTo(cert);
            assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            first = Files.readAllBytes(cert);

            var ok = cli(server.url(), server.token(), "user", "whoami", "--ca", cert.toString());
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("admin");
            var viaEnv = CliRun.of(Map.of("POLYVISOR_TOKEN", server.token(), "POLYVISOR_CA", cert.toString()),
                    "vm", "list", "--url", server.url().toString());
            assertThat(viaEnv.exit()).as(viaEnv.err()).isZero();

            // the JDK's trust store does not know it: refused, nothing sent
            var untrusted = cli(server.url(), server.token(), "vm", "list");
            assertThat(untrusted.exit()).isEqualTo(Main.UNREACHABLE);
            // a certificate of another server is no better
            Path foreign = other.resolve("tls/cert.pem");
            io.polyvisor.server.PolyvisorServer.start(tls(other)).close();
            assertThat(cli(server.url(), server.token(), "vm", "list", "--ca", foreign.toString()).exit()).isEqualTo(Main.UNREACHABLE);

            // there is no plain-HTTP listener
            var plain = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/vms");
            try (var http = HttpClient.newHttpClient()) {
                HttpResponse<String> r = null;
                try {
                    r = http.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(2))
                            .header("Authorization", "Bearer " + server.token()).build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException refused) {
                    // the TLS listener drops a plain-HTTP request
                }
                if (r != null) assertThat(r.statusCode()).isNotEqualTo(200);
            }
        }
        try (var server = PolyvisorServer.start(tls(data))) {
            assertThat(Files.readAllBytes(cert)).isEqualTo(first); // reused
            assertThat(cli(server.url(), server.token(), "vm", "list", "--ca", cert.toString()).exit()).isZero();
        }
    }

    @Test
    void aGivenCertificateAndKeyAreServed() {
        io.polyvisor.server.PolyvisorServer.start(tls(other)).close();
        Path cert = other.resolve("tls/cert.pem"), key = other.resolve("tls/key.pem");
        var config = ServerConfig.of(data).withPort(0).withTls(new ServerConfig.Tls(false, cert, key, false));
        try (var server = PolyvisorServer.start(config)) {
            assertThat(server.certificate()).isEqualTo(cert);
            assertThat(Files.exists(data.resolve("tls"))).isFalse();
            var ok = cli(server.url(), server.token(), "vm", "list", "--ca", cert.toString());
            assertThat(ok.exit()).as(ok.err()).isZero();
        }
    }

    @Test
    void plainHttpBeyondLoopbackIsRefusedUnlessAskedFor() {
        assertThatThrownBy(() -> ServerConfig.of(data).withPort(0).withBind("0.0.0.0"))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("refusing to serve plain HTTP on 0.0.0.0, which is not a loopback address: tokens would cross the network"
                        + " in clear. Give --tls (or --tls-cert and --tls-key), or --insecure-http if something else encrypts the traffic");
        assertThat(ServerConfig.of(data).withTls(new ServerConfig.Tls(false, null, null, true)).withBind("0.0.0.0").bind()).isEqualTo("0.0.0.0");
        assertThat(ServerConfig.of(data).withTls(new ServerConfig.Tls(true, null, null, false)).withBind("0.0.0.0").bind()).isEqualTo("0.0.0.0");
        assertThat(ServerConfig.of(data).withBind("127.0.0.1").bind()).isEqualTo("127.0.0.1");
        var run = CliRun.of(Map.of(), "server", "--bind", "0.0.0.0", "--port", "0", "--data", data.toString());
        assertThat(run.exit()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("refusing to serve plain HTTP on 0.0.0.0");
        assertThatThrownBy(() -> new ServerConfig.Tls(false, data.resolve("c.pem"), null, false)).hasMessage("give --tls-cert and --tls-key together");
    }
}
