package io.polyvisor.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VmCreateTest {
    // Nothing listens on port 1: had validation let a request through, the error would be "cannot reach".
    private static final String DEAD = "http://127.0.0.1:1";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --memory 0                      | memory must be between 16 MiB and 4 TiB, got 0
            --memory 8M                     | memory must be between 16 MiB and 4 TiB, got 8 MiB
            --memory 12X                    | memory must be a size such as 512M, 4G or 1T, got '12X'
            --vcpus 0                       | vcpus must be between 1 and 512, got 0
            --priority 9                    | priority must be between 1 and 5, got 9
            --protect always                | protection must be one of none, restart, standby, got 'always'
            --label tier                    | label must be written key=value, got 'tier'
            --expose 70000                  | exposed port must be between 1 and 65535, got 70000
            --image /a.qcow2 --kernel /vmlinuz | --image cannot be combined with --kernel, --initrd or --cmdline
            --initrd /initrd.img            | --initrd and --cmdline need --kernel
            --host H1                       | host name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got 'H1'
            """)
    void invalidInputIsRejectedLocallyWithTheServersMessageAndExitTwo(String extra, String message) {
        var args = new java.util.ArrayList<>(List.of("vm", "create", "web1", "--url", DEAD));
        if (!extra.contains("--vcpus")) args.addAll(List.of("--vcpus", "1"));
        if (!extra.contains("--memory")) args.addAll(List.of("--memory", "256M"));
        args.addAll(List.of(extra.split(" ")));
        var r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.err()).isEqualTo("error: " + message + "\n");
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badVmNameIsRejectedWithTheServersMessage() {
        var r = CliRun.of("vm", "create", "Web_1", "--vcpus", "1", "--memory", "256M", "--url", DEAD);
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).startsWith("error: vm name must be 1-63 characters");
    }

    @Test
    void badTimeoutIsAUsageError() {
        var r = CliRun.of("vm", "start", "web1", "--timeout", "soon", "--url", DEAD);
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("must be a duration such as 30s, 5m or 1h, got 'soon'");
    }

    @Test
    void bodyCarriesEveryOptionInTheApiShape() {
        var cmd = new VmCreate();
        new CommandLine(cmd).parseArgs("db1", "--vcpus", "2", "--memory", "512M", "--image", "disks/db1.qcow2",
                "--host", "h2", "--protect", "standby", "--priority", "5", "--label", "tier=db", "--label", "team=core",
                "--expose", "5432", "--no-start");
        assertThat(cmd.body()).containsExactly(
                Map.entry("name", "db1"),
                Map.entry("vcpus", 2),
                Map.entry("memory_bytes", 536870912L),
                Map.entry("boot", Map.of("image", Path.of("disks/db1.qcow2").toAbsolutePath().toString())),
                Map.entry("host", "h2"),
                Map.entry("protection", "standby"),
                Map.entry("priority", 5),
                Map.entry("labels", Map.of("tier", "db", "team", "core")),
                Map.entry("expose", List.of(5432)),
                Map.entry("start", false));
    }

    @Test
    void kernelBootSendsKernelInitrdAndCmdlineAndStartsByDefault() {
        var cmd = new VmCreate();
        new CommandLine(cmd).parseArgs("k1", "--vcpus", "1", "--memory", "64M", "--kernel", "/boot/vmlinuz",
                "--initrd", "/boot/initrd.img", "--cmdline", "console=ttyS0 quiet");
        var body = cmd.body();
        assertThat(body.get("boot")).isEqualTo(Map.of("kernel", "/boot/vmlinuz", "initrd", "/boot/initrd.img",
                "cmdline", "console=ttyS0 quiet"));
        assertThat(body.get("start")).isEqualTo(true);
        assertThat(body).doesNotContainKeys("host", "protection", "priority", "labels", "expose");
    }
}
