package io.polyvisor.store;

import io.polyvisor.access.Owned;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V17 on a database made before templates and security groups had projects (schema V16, as main left it):
 * each existing template and security group is recorded in project {@code default}, and the owners already recorded
 * (a network of project red) are left as they were.
 */
class OwnersMigrationTest {
    @TempDir
    Path dir;

    @Test
    void templatesAndSecurityGroupsMadeBeforeGoToTheDefaultProject() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("16").load().migrate();
        try (var c = DriverManager.getConnection(url, "sa", ""); var st = c.createStatement()) {
            st.execute("INSERT INTO templates (name, host, source, vcpus, memory_bytes, boot_type, nics, expose_ports)"
                    + " VALUES ('gold', 'h1', 'src', 1, 67108864, 'none', '[]', '[]')");
            st.execute("INSERT INTO secgroups (name, rules) VALUES ('web', '[]')");
            st.execute("INSERT INTO owners (kind, name, project) VALUES ('network', 'rednet', 'red')");
        }
        try (Store store = Stores.open(url, "sa", "")) {
            assertThat(store.owners(Owned.TEMPLATE)).isEqualTo(Map.of("gold", "default"));
            assertThat(store.owners(Owned.SECGROUP)).isEqualTo(Map.of("web", "default"));
            assertThat(store.owners(Owned.NETWORK)).isEqualTo(Map.of("rednet", "red"));
            store.deleteSecgroup("web");
            store.deleteTemplate("gold");
            assertThat(store.owners(Owned.SECGROUP)).as("an owner row goes with its object").isEmpty();
            assertThat(store.owners(Owned.TEMPLATE)).isEmpty();
        }
    }
}
