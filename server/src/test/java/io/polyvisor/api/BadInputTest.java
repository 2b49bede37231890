package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input never gets a 5xx or a stack trace: a 4xx problem with the exact message, and nothing written. */
class BadInputTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1?cpus=4&memory=8G\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h2?cpus=4&memory=8G\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"name":"a","memory_bytes":0}                     | 400 | memory must be between 16 MiB and 4 TiB, got 0
            {"name":"a","memory_bytes":-1}                    | 400 | memory must be between 16 MiB and 4 TiB, got -1 B
            {"name":"a","memory":"0"}                         | 400 | memory must be between 16 MiB and 4 TiB, got 0
            {"name":"a","memory":"-1G"}                       | 400 | memory must be a size such as 512M, 4G or 1T, got '-1G'
            {"name":"a","memory":"5T"}                        | 400 | memory must be between 16 MiB and 4 TiB, got 5 TiB
            {"name":"a","memory":256}                         | 400 | memory must be a string, got number
            {"name":"a","memory":"1G","memory_bytes":1}       | 400 | give memory or memory_bytes, not both
            {"name":"a"}                                      | 400 | memory is required (e.g. "memory": "512M")
            {"name":"a","memory":"1G","vcpus":0}              | 400 | vcpus must be between 1 and 512, got 0
            {"name":"a","memory":"1G","vcpus":"two"}          | 400 | vcpus must be an integer, got string
            {"name":"a","memory":"1G","vcpus":1.5}            | 400 | vcpus must be an integer, got number
            {"name":"a","memory":"1G","vcpus":99999999999}    | 400 | vcpus is out of range, got 99999999999
            {"name":"Web_1","memory":"1G"}                    | 400 | VM name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'Web_1'
            {"memory":"1G"}                                   | 400 | name is required
            {"name":7,"memory":"1G"}                          | 400 | name must be a string, got number
            {"name":"a","memory":"1G","colour":"red"}         | 400 | unknown field 'colour'; allowed: boot, disk_pool, disk_size, disks, display, expose, host, image, labels, memory, memory_bytes, name, nics, priority, project, protection, secgroups, start, user_data, vcpus
            {"name":"a","memory":"1G","boot":{"kernel":"/boot/../etc/shadow"}} | 400 | kernel path must not contain '.' or '..' segments, got '/boot/../etc/shadow'
            {"name":"a","memory":"1G","boot":{"kernel":"vmlinuz"}}             | 400 | kernel path must be absolute, got 'vmlinuz'
            {"name":"a","memory":"1G","boot":{"image":"/i.qcow2","kernel":"/k"}} | 400 | boot takes an image or a kernel (with initrd and cmdline), not both
            {"name":"a","memory":"1G","boot":{"disk":"/x"}}   | 400 | unknown field 'boot.disk'; allowed: cmdline, image, initrd, kernel
            {"name":"a","memory":"1G","boot":"/x"}            | 400 | boot must be an object, got string
            {"name":"a","memory":"1G","protection":"always"}  | 400 | protection must be one of none, restart, standby, got 'always'
            {"name":"a","memory":"1G","priority":9}           | 400 | priority must be between 1 and 5, got 9
            {"name":"a","memory":"1G","labels":{"k":1}}       | 400 | labels.k must be a string, got number
            {"name":"a","memory":"1G","labels":{"bad key":"v"}} | 400 | label key must be 1-63 characters of letters, digits, '.', '_', '/' and '-', got 'bad key'
            {"name":"a","memory":"1G","expose":[0]}           | 400 | exposed port must be between 1 and 65535, got 0
            {"name":"a","memory":"1G","expose":"80"}          | 400 | expose must be an array of integers, got string
            {"name":"a","memory":"1G","start":"yes"}          | 400 | start must be true or false, got string
            {"name":"a","memory":"1G","host":"H1"}            | 400 | host name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'H1'
            `{"name":"a",`                                    | 400 | request body is not valid JSON (line 1, column 13)
            `[1,2]`                                           | 400 | request body must be a JSON object, got array
            `"web1"`                                          | 400 | request body must be a JSON object, got string
            {"name":"a","memory":"1G","host":"h9"}            | 422 | host h9 does not exist
            {"name":"big","memory":"64G"}                     | 422 | no host can run big: capacity excluded 2 hosts
            """)
    void createVmRefusesWithExactMessage(String body, int status, String detail) {
        var r = s.post("/api/v1/vms", body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo(detail);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(s.get("/api/v1/vms").json()).as("nothing half-applied").isEmpty();
        assertThat(s.get("/api/v1/tasks").json()).isEmpty();
    }

    @Test
    void placementRejectionCarriesExcludedBy() {
        var r = s.post("/api/v1/vms", "{\"name\":\"big\",\"memory\":\"64G\"}");
        assertThat(r.json().path("excluded_by").path("capacity").asInt()).isEqualTo(2);
        assertThat(r.json().path("type").asText()).isEqualTo("/problems/placement-rejected");
    }

    @Test
    void hugeBodyIs413() {
        String big = "{\"name\":\"a\",\"memory\":\"1G\",\"labels\":{\"k\":\"" + "x".repeat(200_000) + "\"}}";
        var r = s.post("/api/v1/vms", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo("request body is too large (limit 65536 bytes)");
        assertThat(s.get("/api/v1/vms").json()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /api/v1/hosts                    | {"uri":"sim://dc/Bad_Host"} | 400 | cannot connect to sim://dc/Bad_Host: host name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'Bad_Host'
            /api/v1/hosts                    | {"uri":"::"}                | 400 | uri is not a valid URI: Expected scheme name
            /api/v1/hosts                    | {}                          | 400 | uri is required
            /api/v1/hosts/h1/maintenance     | {"enabled":"yes"}           | 400 | enabled must be true or false, got string
            /api/v1/hosts/h1/maintenance     | {}                          | 400 | enabled is required
            /api/v1/hosts/h9/maintenance     | {"enabled":true}            | 404 | host h9 not found
            /api/v1/vms/nope/start           | {}                          | 404 | vm nope not found
            /api/v1/vms/nope/start           | {"force":true}              | 400 | unknown field 'force'; this request takes no fields
            /api/v1/vms/nope/migrate         | {}                          | 400 | to is required
            /api/v1/vms/nope/stop            | {"force":1}                 | 400 | force must be true or false, got number
            """)
    void otherRoutesRefuseWithExactMessage(String path, String body, int status, String detail) {
        var r = s.post(path, body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).isEqualTo(detail.strip());
    }

    @Test
    void unknownSchemeNamesTheKnownOnes() {
        var r = s.post("/api/v1/hosts", "{\"uri\":\"nope://x\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.detail()).startsWith("no driver for URI scheme 'nope'; known schemes: sim");
        assertThat(s.get("/api/v1/hosts").json()).hasSize(2);
    }

    @Test
    void badQueryParametersAre400() {
        assertThat(s.get("/api/v1/tasks?status=done").detail())
                .isEqualTo("status must be one of queued, running, succeeded, failed, cancelled, got 'done'");
        assertThat(s.get("/api/v1/tasks?limit=0").detail()).isEqualTo("limit must be between 1 and 1000, got 0");
        assertThat(s.get("/api/v1/events?after=x").detail()).isEqualTo("after must be a whole number, got 'x'");
        assertThat(s.get("/api/v1/vms?label=novalue").detail()).isEqualTo("label must be written key=value, got 'novalue'");
        assertThat(s.get("/api/v1/tasks/not-a-uuid").status()).isEqualTo(404);
    }
}
