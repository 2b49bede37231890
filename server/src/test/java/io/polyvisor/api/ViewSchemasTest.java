package io.polyvisor.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generation rules of {@link ViewSchemas}, on small view types of their own. */
class ViewSchemasTest {
    record BackupView(Instant lastRun, @Nullable String target, int kept) {}

    @Test
    void aFacetOfANewFeatureAppearsInTheVmSchemaFromItsType() {
        var schemas = new ViewSchemas(Map.of("backup", BackupView.class));
        schemas.reference(Views.VmView.class);
        var defs = schemas.definitions();

        var vm = defs.path("Vm");
        assertThat(vm.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(vm.path("properties").path("backup").path("anyOf").toString())
                .isEqualTo("[{\"$ref\":\"#/components/schemas/Backup\"},{\"type\":\"null\"}]");
        assertThat(vm.path("required").toString()).contains("\"backup\"");

        var backup = defs.path("Backup");
        assertThat(backup.path("properties").path("last_run").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"date-time\"}");
        assertThat(backup.path("properties").path("target").path("type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(backup.path("required").toString()).isEqualTo("[\"last_run\",\"target\",\"kept\"]");
    }

    static final class Other {
        record HostView(String name) {}
    }

    record Pair(Views.HostView a, Other.HostView b) {}

    @Test
    void twoTypesWithOneSchemaNameAreRefused() {
        var schemas = new ViewSchemas(Map.of());
        schemas.reference(Pair.class);
        assertThatThrownBy(schemas::definitions).hasMessageContaining("both have the schema name Host");
    }
}
