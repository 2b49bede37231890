package io.polyvisor.volumes;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageRulesTest {
    private static final Volume FREE = new Volume("data", "h1", 2 * Sizes.GiB, null, null, false);
    private static final Volume USED = FREE.attachedTo(UUID.randomUUID(), false);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0      | size must be between 1 MiB and 16 TiB, got 0
            -1G    | size must be between 1 MiB and 16 TiB, got '-1G'
            512K   | size must be between 1 MiB and 16 TiB, got 512 KiB
            17T    | size must be between 1 MiB and 16 TiB, got 17 TiB
            1048577| size must be a whole number of KiB, got 1048577 bytes
            ten    | size must be a size such as 512M, 4G or 1T, got 'ten'
            """)
    void sizesOutOfRangeOrMalformedAreRefusedWithTheirExactMessage(String text, String message) {
        assertThatThrownBy(() -> DiskSizes.parse("size", text)).isInstanceOf(InvalidInput.class).hasMessage(message);
    }

    @Test
    void sizesInRangeParse() {
        assertThat(DiskSizes.parse("size", "1M")).isEqualTo(Sizes.MiB);
        assertThat(DiskSizes.parse("size", "16T")).isEqualTo(16 * Sizes.TiB);
    }

    @Test
    void resizeOnlyGrowsAndNotUnderARunningVm() {
        assertThat(StorageRules.resize(FREE, Sizes.GiB, null, StorageRules.Use.STOPPED))
                .contains("volume data is 2 GiB; shrinking is refused (asked 1 GiB)");
        assertThat(StorageRules.resize(FREE, 4 * Sizes.GiB, null, StorageRules.Use.STOPPED)).isEmpty();
        assertThat(StorageRules.resize(USED, 4 * Sizes.GiB, "web", StorageRules.Use.ACTIVE))
                .contains("volume data is attached to VM web, which is not stopped; stop it first");
        assertThat(StorageRules.resize(USED, 4 * Sizes.GiB, "web", StorageRules.Use.STOPPED)).isEmpty();
    }

    @Test
    void attachedVolumesAndUsedImagesAreNotDeleted() {
        assertThat(StorageRules.delete(USED, "web")).contains("volume data is attached to VM web; delete the VM or detach the volume first");
        assertThat(StorageRules.delete(FREE, null)).isEmpty();
        var over = new Volume("b", "h1", Sizes.GiB, "base", null, false);
        var over2 = new Volume("a", "h2", Sizes.GiB, "base", null, false);
        assertThat(StorageRules.deleteImage("base", List.of(over, over2, FREE))).contains("image base is in use by volumes a, b");
        assertThat(StorageRules.deleteImage("other", List.of(over))).isEmpty();
    }

    @Test
    void aNewVolumeGoesToThePoolWithTheMostRoomThatFits() {
        var pools = List.of(new StorageRules.PoolRoom("h1", 10 * Sizes.GiB), new StorageRules.PoolRoom("h2", 20 * Sizes.GiB));
        assertThat(StorageRules.choose(pools, 5 * Sizes.GiB)).isEqualTo(new StorageRules.Choice.Chosen("h2"));
        assertThat(StorageRules.choose(pools, 30 * Sizes.GiB)).isEqualTo(new StorageRules.Choice.NoRoom(
                "no host's pool has 30 GiB available (the most is 20 GiB on host h2)"));
        assertThat(StorageRules.choose(List.of(), Sizes.GiB)).isInstanceOf(StorageRules.Choice.NoRoom.class);
    }

    @Test
    void aVmWithLocalVolumesGoesToTheirHost() {
        var a = new Volume("a", "h1", Sizes.GiB, null, null, false);
        var b = new Volume("b", "h2", Sizes.GiB, null, null, false);
        assertThat(StorageRules.placeWith(List.of(a), null, id -> "x")).isEqualTo(new StorageRules.Placement.On("h1"));
        assertThat(StorageRules.placeWith(List.of(), "h3", id -> "x")).isEqualTo(new StorageRules.Placement.On("h3"));
        assertThat(StorageRules.placeWith(List.of(a, b), null, id -> "x")).isEqualTo(new StorageRules.Placement.Refused(
                "volumes a and b are on different hosts (h1, h2); a VM's local volumes must share its host"));
        assertThat(StorageRules.placeWith(List.of(a), "h2", id -> "x")).isEqualTo(new StorageRules.Placement.Refused(
                "volume a is on host h1, not on host h2"));
        assertThat(StorageRules.placeWith(List.of(a.attachedTo(UUID.randomUUID(), false)), null, id -> "web"))
                .isEqualTo(new StorageRules.Placement.Refused("volume a is already attached to VM web"));
    }

    @Test
    void importsMustBeWhatTheyClaimAndSelfContained() {
        assertThat(ImageRules.refusal("i", ImageFormat.QCOW2, new ImageFacts("raw", Sizes.GiB, null, null)))
                .contains("image i was declared qcow2 but the file is raw");
        assertThat(ImageRules.refusal("i", ImageFormat.RAW, new ImageFacts("qcow2", Sizes.GiB, null, null)))
                .contains("image i was declared raw but the file is qcow2");
        assertThat(ImageRules.refusal("i", ImageFormat.QCOW2, new ImageFacts("qcow2", Sizes.GiB, "/etc/shadow", null)))
                .contains("image i has a backing file ('/etc/shadow'): only self-contained images are accepted");
        assertThat(ImageRules.refusal("i", ImageFormat.QCOW2, new ImageFacts("qcow2", Sizes.GiB, null, "/dev/sda")))
                .contains("image i has an external data file ('/dev/sda'): only self-contained images are accepted");
        assertThat(ImageRules.refusal("i", ImageFormat.QCOW2, new ImageFacts("qcow2", 17 * Sizes.TiB, null, null)))
                .contains("image i has a virtual size of 17 TiB; it must be between 1 MiB and 16 TiB");
        assertThat(ImageRules.refusal("i", ImageFormat.QCOW2, new ImageFacts("qcow2", Sizes.GiB, null, null))).isEqualTo(Optional.empty());
    }
}
