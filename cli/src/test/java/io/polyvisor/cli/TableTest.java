package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Table.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableTest {
    @Test
    void columnsAreAlignedToTheWidestCellWithTwoSpacesAndNoTrailingBlanks() {
        var t = new Table("NAME", "STATE", "HOST").row("web1", "running", "h1").row("database-7", "stopped", "-");
        assertThat(t.render()).isEqualTo("""
                NAME        STATE    HOST
                web1        running  h1
                database-7  stopped  -
                """);
    }

    @Test
    void anEmptyTableIsItsHeaderLine() {
        assertThat(new Table("NAME", "STATE").render()).isEqualTo("NAME  STATE\n");
    }

    @Test
    void emptyCellsPrintAsDashAndLineBreaksCannotSplitARow() {
        var t = new Table("A", "B").row("", "two\nlines\tand tab").row(null, "x");
        assertThat(t.render()).isEqualTo("""
                A  B
                -  two lines and tab
                -  x
                """);
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonItemsBecomeRowsWithArraysObjectsAndNullsPrintedReadably() throws Exception {
        JsonNode items = Cli.JSON.readTree("""
                [{"name":"h1","caps":["compute","stats"],"labels":{"rack":"r1","zone":"a"},"note":null},
                 {"name":"h2","caps":[],"labels":{}}]""");
        var t = Table.of(items, List.of(Column.field("NAME", "name"), Column.field("CAPS", "caps"),
                Column.field("LABELS", "labels"), Column.field("NOTE", "note")));
        assertThat(t.render()).isEqualTo("""
                NAME  CAPS           LABELS          NOTE
                h1    compute,stats  rack=r1,zone=a  -
                h2    -              -               -
                """);
    }

    @Test
    void vmShowListsEveryFieldWithSizesInBinaryUnits() throws Exception {
        JsonNode vm = Cli.JSON.readTree("""
                {"name":"web1","state":"running","memory_bytes":268435456,"labels":{"app":"web"},"usage":{"cpu_cores":0.5,"memory_bytes":1048576}}""");
        assertThat(Views.fields(vm).render()).isEqualTo("""
                FIELD         VALUE
                name          web1
                state         running
                memory_bytes  256 MiB
                labels        app=web
                usage         cpu_cores=0.50,memory_bytes=1 MiB
                """);
    }

    @Test
    void measuredBytesPrintWithOneDecimalExactOnesAsSizes() {
        assertThat(Views.approxBytes(211593779)).isEqualTo("201.8 MiB");
        assertThat(Views.approxBytes(256L << 20)).isEqualTo("256 MiB");
        assertThat(Views.approxBytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Views.approxBytes(900)).isEqualTo("900 B");
        assertThat(Views.approxBytes(5L << 40 | 1)).isEqualTo("5.0 TiB");
    }
}
