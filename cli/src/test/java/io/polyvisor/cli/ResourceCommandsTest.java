package io.polyvisor.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The list, show and delete subcommands every named collection shares ({@link Resource}), against a scripted server. */
class ResourceCommandsTest {
    private static final String POOL = """
            {"name":"nfs1","path":"/srv/nfs1","hosts":["h1","h2"],"volumes":[]}""";

    private static CliRun run(FakeApi api, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", api.url()));
        return CliRun.of(Map.of("POLYVISOR_TOKEN", "t"), all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            pool     | delete | /api/v1/pools/nfs1     | pool nfs1 deleted     | deleted
            volume   | delete | /api/v1/volumes/nfs1   | volume nfs1 deleted   | deleted
            template | delete | /api/v1/templates/nfs1 | template nfs1 deleted | deleted
            host     | remove | /api/v1/hosts/nfs1     | host nfs1 removed     | removed
            """)
    void deleteSaysWhatItDidInTextAndInJson(String command, String verb, String path, String text, String key) throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.send(ex, 204, "application/json", ""))) {
            var r = run(api, command, verb, "nfs1");
            assertThat(r.out()).isEqualTo(text + "\n");
            assertThat(r.exit()).isZero();
            var json = run(api, "-o", "json", command, verb, "nfs1");
            assertThat(json.out()).isEqualTo("{\n  \"" + key + "\" : \"nfs1\"\n}\n");
            assertThat(api.requests).extracting(rq -> rq.method() + " " + rq.uri()).containsExactly("DELETE " + path, "DELETE " + path);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            pool     | show   | pool name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'A_b'
            volume   | delete | volume name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'A_b'
            """)
    void anInvalidNameIsRefusedBeforeAnyRequest(String command, String verb, String message) throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 200, POOL))) {
            var r = run(api, command, verb, "A_b");
            assertThat(r.err()).isEqualTo("error: " + message + "\n");
            assertThat(r.exit()).isEqualTo(Main.USAGE);
            assertThat(api.requests).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pool list                | GET /api/v1/pools
            pool add-host nfs1 h3    | POST /api/v1/pools/nfs1/hosts
            pool remove-host nfs1 h2 | DELETE /api/v1/pools/nfs1/hosts/h2
            """)
    void aListAndOneChangedItemPrintTheSameTable(String args, String request) throws Exception {
        var body = args.endsWith("list") ? "[" + POOL + "]" : POOL;
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 200, body))) {
            var r = run(api, args.split(" "));
            assertThat(r.out()).isEqualTo("""
                    NAME  PATH       HOSTS  VOLUMES
                    nfs1  /srv/nfs1  h1,h2  -
                    """);
            assertThat(api.requests).extracting(rq -> rq.method() + " " + rq.uri()).containsExactly(request);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pool, /api/v1/pools/nfs1", "host, /api/v1/hosts/nfs1", "template, /api/v1/templates/nfs1"})
    void showPrintsEveryFieldOnItsOwnLine(String command, String path) throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 200, POOL))) {
            var r = run(api, command, "show", "nfs1");
            assertThat(r.out()).isEqualTo("""
                    FIELD    VALUE
                    name     nfs1
                    path     /srv/nfs1
                    hosts    h1,h2
                    volumes  -
                    """);
            assertThat(api.requests).extracting(rq -> rq.method() + " " + rq.uri()).containsExactly("GET " + path);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            network  | /api/v1/networks/nfs1  | network nfs1 deleted
            secgroup | /api/v1/secgroups/nfs1 | security group nfs1 deleted
            """)
    void aDeleteThatShowsTheItemPrintsTheServersAnswerAsJson(String command, String path, String text) throws Exception {
        try (var api = new FakeApi(ex -> FakeApi.json(ex, 200, POOL))) {
            assertThat(run(api, command, "delete", "nfs1").out()).isEqualTo(text + "\n");
            var json = run(api, "-o", "json", command, "delete", "nfs1");
            assertThat(Cli.JSON.readTree(json.out())).isEqualTo(Cli.JSON.readTree(POOL));
            assertThat(api.requests).extracting(rq -> rq.method() + " " + rq.uri()).containsExactly("DELETE " + path, "DELETE " + path);
        }
    }
}
