package io.polyvisor.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact messages users see for bad input. */
class ValidationTest {

    @Test
    void memoryBounds() {
        assertThatThrownBy(() -> VmSpec.of(1, 0)).isInstanceOf(InvalidInput.class)
                .hasMessage("memory must be between 16 MiB and 4 TiB, got 0");
        assertThatThrownBy(() -> VmSpec.of(1, 8 * Sizes.MiB)).hasMessage("memory must be between 16 MiB and 4 TiB, got 8 MiB");
        assertThatThrownBy(() -> VmSpec.of(1, 5 * Sizes.TiB)).hasMessage("memory must be between 16 MiB and 4 TiB, got 5 TiB");
        assertThat(VmSpec.of(1, 16 * Sizes.MiB).memoryBytes()).isEqualTo(16 * Sizes.MiB);
        assertThat(VmSpec.of(1, 4 * Sizes.TiB).memoryBytes()).isEqualTo(4 * Sizes.TiB);
    }

    @Test
    void vcpuBounds() {
        assertThatThrownBy(() -> VmSpec.of(0, Sizes.GiB)).hasMessage("vcpus must be between 1 and 512, got 0");
        assertThatThrownBy(() -> VmSpec.of(513, Sizes.GiB)).hasMessage("vcpus must be between 1 and 512, got 513");
    }

    @ParameterizedTest
    @CsvSource({"512M, 536870912", "4G, 4294967296", "1T, 1099511627776", "1024, 1024", "256MiB, 268435456", "2gb, 2147483648", "8k, 8192"})
    void sizesParse(String text, long bytes) {
        assertThat(Sizes.parse("memory", text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "12X", "1.5G", "99999999999999999999"})
    void sizesReject(String text) {
        assertThatThrownBy(() -> Sizes.parse("memory", text)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("memory must be a size such as 512M, 4G or 1T, got '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web1", "web_1", "-web", "web-", "a\"b", "a<b", "]]>", "../etc", "", "web 1",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void hostileOrBadNamesAreRejected(String name) {
        assertThatThrownBy(() -> Names.requireName("VM", name)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("VM name must be 1-63 characters of a-z, 0-9 and '-'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web1", "a", "db-primary-01"})
    void goodNames(String name) {
        assertThat(Names.requireName("VM", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/vmlinuz", "/boot/../etc/shadow", "/boot/./vmlinuz", "/boot//vmlinuz", "/boot/vm\nlinuz"})
    void bootPathsMustBeAbsoluteAndNormalised(String path) {
        assertThatThrownBy(() -> new Boot.Kernel(path, null, "")).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("kernel path must");
        assertThatThrownBy(() -> new Boot.Disk(path)).isInstanceOf(InvalidInput.class).hasMessageStartingWith("image path must");
    }

    @Test
    void cmdlineMustBePrintable() {
        assertThatThrownBy(() -> new Boot.Kernel("/k", null, "console=ttyS0\u0000")).hasMessage("cmdline must not contain control characters");
        assertThat(new Boot.Kernel("/k", "/i", "console=ttyS0 quiet").cmdline()).isEqualTo("console=ttyS0 quiet");
    }

    @Test
    void labels() {
        assertThat(Names.requireLabels(Map.of("tier", "web", "app.kubernetes.io/name", "shop"))).hasSize(2);
        assertThatThrownBy(() -> Names.requireLabels(Map.of("tier", "<script>"))).hasMessageStartingWith("label value for 'tier' must be");
        assertThatThrownBy(() -> Names.requireLabels(Map.of("bad key", "x"))).hasMessageStartingWith("label key must be");
        assertThatThrownBy(() -> Names.parseLabel("novalue")).hasMessage("label must be written key=value, got 'novalue'");
    }

    @Test
    void protectionAndPriority() {
        assertThat(Protection.parse("standby")).isEqualTo(Protection.STANDBY);
        assertThatThrownBy(() -> Protection.parse("always")).hasMessage("protection must be one of none, restart, standby, got 'always'");
        assertThatThrownBy(() -> new Priority(6)).hasMessage("priority must be between 1 and 5, got 6");
    }

    @Test
    void exposedPorts() {
        assertThatThrownBy(() -> new VmSpec(1, Sizes.GiB, null, null, List.of(0))).hasMessage("exposed port must be between 1 and 65535, got 0");
        assertThatThrownBy(() -> new VmSpec(1, Sizes.GiB, null, null, List.of(80, 80))).hasMessage("exposed ports must not repeat");
    }

    @Test
    void macAddresses() {
        assertThat(new Nic("user", "52:54:00:12:34:56").mac()).isEqualTo("52:54:00:12:34:56");
        assertThatThrownBy(() -> new Nic("user", "52:54:00:12:34")).hasMessageStartingWith("mac must be six lower-case hex pairs");
    }
}
