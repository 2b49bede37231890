package io.polyvisor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code ./polyvisor} launcher as a user would: on a copy of the sources under a path with spaces
 * (so it builds its own jar, away from the build running this test), from another directory, with JAVA_HOME
 * unset and a Java 17 first on PATH. The stand-in java 17 refuses to run anything, so picking it fails loudly.
 * Client calls also record and use a JVM start-up cache (polyvisor.aot on JDK 25+, polyvisor.jsa on 21-24).
 */
class LauncherTest {
    private static final Set<String> SKIP = Set.of("target", ".git", "node_modules");

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    @Test
    void findsAJdk21ItselfBuildsOnFirstUseAndRebuildsOnlyWhenSourcesChange() throws Exception {
        var repo = tmp.resolve("poly visor repo");
        copyRepo(repoRoot(), repo);
        var cwd = Files.createDirectories(tmp.resolve("some other dir"));

        var first = launch(repo, cwd, "--version");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("polyvisor: building app/target/polyvisor.jar")
                .contains("polyvisor: recording the JVM start-up cache");
        var lines = first.out().lines().toList();
        assertThat(lines.get(0)).matches("polyvisor \\d+\\.\\d+\\.\\d+.*");
        assertThat(lines.get(1)).startsWith("Java ");
        assertThat(Runtime.Version.parse(lines.get(1).split(" ")[1]).feature()).isGreaterThanOrEqualTo(21);
        var target = repo.resolve("app/target");
        assertThat(target.resolve("polyvisor.jar")).isRegularFile();
        var cache = Files.exists(target.resolve("polyvisor.aot")) ? target.resolve("polyvisor.aot") : target.resolve("polyvisor.jsa");
        assertThat(cache).as(Files.readString(target.resolve("startup-cache.log"))).isRegularFile();
        var remembered = Files.readAllLines(target.resolve(".jdk-home"));
        assertThat(remembered.get(0)).isEqualTo("JAVA_HOME=");
        assertThat(Path.of(remembered.get(1), "bin", "java")).isExecutable();

        // a remembered JDK that has gone is looked for again
        Files.writeString(target.resolve(".jdk-home"), "JAVA_HOME=\n" + tmp.resolve("gone jdk") + "\n");
        var drivers = launch(repo, cwd, "drivers");
        assertThat(drivers.exit()).as(drivers.err()).isZero();
        assertThat(drivers.err()).doesNotContain("building").doesNotContain("recording");
        assertThat(drivers.out().lines().findFirst().orElseThrow())
                .matches("DRIVER +COMPUTE +STATS +EVENTS +MIGRATION +FENCING +GUEST-ACCESS +STORAGE +NETWORKING +CONSOLE +DISPLAY +SCHEMES");
        assertThat(drivers.out()).containsPattern("(?m)^sim +yes +yes +yes +yes +yes +yes +yes +yes +yes +- +sim$");

        // a cache the JVM cannot use is skipped without a word
        Files.writeString(cache, "not a cache");
        var corrupt = launch(repo, cwd, "--version");
        assertThat(corrupt.exit()).as(corrupt.err()).isZero();
        assertThat(corrupt.err()).isEmpty();
        assertThat(corrupt.out()).startsWith("polyvisor ");

        var source = repo.resolve("cli/src/main/java/io/polyvisor/cli/Main.java");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        var rebuilt = launch(repo, cwd, "--version");
        assertThat(rebuilt.exit()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.err()).contains("polyvisor: building").contains("polyvisor: recording the JVM start-up cache");
        assertThat(Files.size(cache)).isGreaterThan(1_000_000);
    }

    private Result launch(Path repo, Path cwd, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of(repo.resolve("polyvisor").toString()));
        cmd.addAll(List.of(args));
        var out = tmp.resolve("out.txt");
        var err = tmp.resolve("err.txt");
        var pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", fakeJava17() + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" + mavenDir());
        var p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish in 10 minutes: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A directory with {@code java} and {@code javac} that claim to be Java 17 and fail if asked to do anything. */
    private String fakeJava17() throws IOException {
        var bin = tmp.resolve("old jdk/bin");
        if (Files.isDirectory(bin)) return bin.toString();
        Files.createDirectories(bin);
        var script = """
                #!/bin/sh
                case "$*" in
                  *-version*) echo 'openjdk version "17.0.99" 2025-01-01' >&2
                              echo '    java.specification.version = 17' >&2; exit 0 ;;
                esac
                echo "stand-in java 17 must not be used, was asked: $*" >&2
                exit 97
                """;
        for (var name : List.of("java", "javac")) {
            var f = bin.resolve(name);
            Files.writeString(f, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin.toString();
    }

    /** ":DIR" of the mvn on this process's PATH when it is not in a standard directory. */
    private static String mavenDir() {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "mvn"))) return ":" + dir;
        }
        return "";
    }

    private static Path repoRoot() {
        var root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("polyvisor"))) root = root.getParent();
        assertThat(root).as("repository root holding ./polyvisor above " + Path.of("").toAbsolutePath()).isNotNull();
        return root;
    }

    private static void copyRepo(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (var f : (Iterable<Path>) files::iterator) {
                var rel = from.relativize(f);
                if (rel.toString().equals("data") || rel.toString().startsWith("data/")) continue;
                boolean skip = false;
                for (var part : rel) skip |= SKIP.contains(part.toString());
                if (skip) continue;
                var dest = to.resolve(rel.toString());
                if (Files.isDirectory(f)) Files.createDirectories(dest);
                else Files.copy(f, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
