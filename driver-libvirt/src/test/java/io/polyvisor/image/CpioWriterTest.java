package io.polyvisor.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The archive CpioWriter writes is read back by Debian's own cpio, files intact, modes kept. */
class CpioWriterTest {
    @Test
    void gnuCpioExtractsWhatWasWritten(@TempDir Path dir) throws Exception {
        var buf = new ByteArrayOutputStream();
        var cpio = new CpioWriter(buf);
        cpio.directory("etc", 0755);
        cpio.file("etc/motd", 0644, "hello\n".getBytes(StandardCharsets.UTF_8));
        cpio.file("init", 0755, "#!/bin/sh\necho odd-length".getBytes(StandardCharsets.UTF_8));
        cpio.symlink("sh", "init");
        cpio.finish();
        var archive = dir.resolve("a.cpio");
        Files.write(archive, buf.toByteArray());
        var out = dir.resolve("out");
        Files.createDirectories(out);
        var p = new ProcessBuilder("cpio", "-i", "-d", "--quiet", "-F", archive.toString()).directory(out.toFile())
                .redirectErrorStream(true).start();
        var log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
        assertThat(Files.readString(out.resolve("etc/motd"))).isEqualTo("hello\n");
        assertThat(Files.readString(out.resolve("init"))).isEqualTo("#!/bin/sh\necho odd-length");
        assertThat(Files.isExecutable(out.resolve("init"))).isTrue();
        assertThat(Files.readSymbolicLink(out.resolve("sh")).toString()).isEqualTo("init");
        var listing = new ProcessBuilder("cpio", "-t", "--quiet", "-F", archive.toString()).start();
        assertThat(new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList())
                .isEqualTo(List.of("etc", "etc/motd", "init", "sh"));
    }

    @Test
    void entriesMustStayInsideTheArchiveRoot() {
        var cpio = new CpioWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> cpio.file("../etc/passwd", 0644, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cpio.file("/etc/passwd", 0644, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
