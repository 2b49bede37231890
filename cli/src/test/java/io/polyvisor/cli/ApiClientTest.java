package io.polyvisor.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How server answers become output and exit codes, against a scripted server. */
class ApiClientTest {
    private static CliRun run(FakeApi api, String... args) {
        var all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of("--url", api.url()));
        return CliRun.of(Map.of("POLYVISOR_TOKEN", "t0k"), all.toArray(String[]::new));
    }

    @Test
    void badRequestPrintsTheProblemDetailExactlyAndExitsTwo() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.problem(ex, 400, "Bad Request", "a VM needs at least 1 vcpu"))) {
            var r = run(api, "vm", "start", "web1");
            assertThat(r.err()).isEqualTo("error: a VM needs at least 1 vcpu\n");
            assertThat(r.exit()).isEqualTo(Main.USAGE);
        }
    }

    @Test
    void theTokenIsSentAsABearerHeader() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 200, "[]"))) {
            assertThat(run(api, "host", "list").exit()).isZero();
            assertThat(api.requests).singleElement().satisfies(rq -> {
                assertThat(rq.uri()).isEqualTo("/api/v1/hosts");
                assertThat(rq.authorization()).isEqualTo("Bearer t0k");
            });
        }
    }

    @Test
    void authenticationFailureExitsThreeWithAHint() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.problem(ex, 401, "Unauthorized", "missing or invalid token"))) {
            var r = run(api, "vm", "list");
            assertThat(r.exit()).isEqualTo(Main.UNREACHABLE);
            assertThat(r.err()).isEqualTo("error: missing or invalid token\n"
                    + "hint: pass --token, set POLYVISOR_TOKEN, or run from the directory holding data/admin.token\n");
        }
    }

    @Test
    void notFoundAndConflictAreFailedOperations() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.problem(ex, 404, "Not Found", "vm web9 not found"))) {
            var r = run(api, "vm", "show", "web9");
            assertThat(r.err()).isEqualTo("error: vm web9 not found\n");
            assertThat(r.exit()).isEqualTo(Main.FAILED);
        }
        try (var api = new FakeApi(ex -> FakeApi.problem(ex, 409, "Conflict", "host h1 still has 3 VMs"))) {
            var r = run(api, "host", "remove", "h1");
            assertThat(r.err()).isEqualTo("error: host h1 still has 3 VMs\n");
            assertThat(r.exit()).isEqualTo(Main.FAILED);
        }
    }

    @Test
    void placementRejectionShowsHowManyHostsEachRuleExcluded() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.send(ex, 422, "application/problem+json",
                "{\"title\":\"Unprocessable Content\",\"status\":422,\"detail\":\"no host has 1 TiB of memory free\","
                        + "\"excluded_by\":{\"memory\":2,\"pinned\":0,\"maintenance\":1}}"))) {
            var r = run(api, "vm", "create", "huge", "--vcpus", "1", "--memory", "1T");
            assertThat(r.err()).isEqualTo("error: no host has 1 TiB of memory free\nhint: hosts excluded, by rule: memory 2, maintenance 1\n");
            assertThat(r.exit()).isEqualTo(Main.FAILED);
        }
    }

    @Test
    void serverBugShowsTheLoggedInstanceId() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.send(ex, 500, "application/problem+json",
                "{\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"internal error\",\"instance\":\"err-7f3a\"}"))) {
            var r = run(api, "tasks");
            assertThat(r.err()).isEqualTo("error: internal error\nhint: the server logged this failure as err-7f3a\n");
            assertThat(r.exit()).isEqualTo(Main.FAILED);
        }
    }

    @Test
    void nonJsonErrorStillGivesOneReadableLine() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.send(ex, 502, "text/html", "<html>Bad gateway</html>\n<p>x</p>"))) {
            var r = run(api, "host", "list");
            assertThat(r.err()).isEqualTo("error: server answered HTTP 502: <html>Bad gateway</html>\n");
            assertThat(r.exit()).isEqualTo(Main.FAILED);
        }
    }

    @Test
    void onlyAnHttpsServerGetsTheDefaultTlsContext() throws Exception {
        try (var plain = ApiClient.newHttpClient(java.net.URI.create("http://127.0.0.1:8080"), null);
             var tls = ApiClient.newHttpClient(java.net.URI.create("https://polyvisor.example:8443"), null)) {
            assertThat(plain.sslContext()).isSameAs(NoTls.CONTEXT);
            assertThat(plain.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(tls.sslContext()).isSameAs(javax.net.ssl.SSLContext.getDefault());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NoTls.CONTEXT.createSSLEngine())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void closingStopsTheHttpClientSoTheJvmCanExitAtOnce() throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 200, "[]"))) {
            var client = new ApiClient(java.net.URI.create(api.url()), null);
            client.get("/api/v1/hosts");
            client.close();
            assertThat(client.http().isTerminated()).isTrue();
        }
    }
}
