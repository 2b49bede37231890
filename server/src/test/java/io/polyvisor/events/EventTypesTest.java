package io.polyvisor.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event type in the server's classes, found by scanning them (so a feature's new enum is checked without
 * being registered anywhere): names unique, well-formed, spelled like their constants, and documented. The
 * list below is the wire contract the CLI, the event stream's clients and the tests read.
 */
class EventTypesTest {
    static final Pattern WELL_FORMED = Pattern.compile("[a-z][a-z0-9]*\\.[a-z][a-z0-9]*(-[a-z0-9]+)*");

    @Test
    void everyTypeIsListedHereOnceWithTheWireNameClientsRead() {
        assertThat(all().stream().map(EventType::wireName)).containsExactlyInAnyOrder(
                "vm.state", "vm.fenced",
                "vm.created", "vm.rebooted", "vm.undefined", "vm.deleted",
                "task.queued", "task.started", "task.retry", "task.succeeded", "task.failed",
                "host.added", "host.removed", "host.state",
                "balance.evacuate", "balance.plan", "balance.settings",
                "host.suspect", "host.unreachable", "host.healthy", "host.fencing", "host.fenced", "host.fence-failed",
                "host.rejoining", "host.rejoined", "vm.failover", "vm.fence-failed", "vm.restarting", "vm.unplaced",
                "vm.stranded", "vm.lost", "vm.standby", "vm.standby-unplaced", "vm.unprotected", "vm.protected", "ha.settings", "ha.fence-agent",
                "group.created", "group.updated", "group.deleted", "group.scaled", "group.joined", "group.left", "group.balancer",
                "lease.acquired", "lease.released", "lease.revoked", "vm.coord-token", "vm.user-data", "coord.settings",
                "image.imported", "image.deleted", "template.created", "template.deleted", "volume.created", "volume.resized", "volume.deleted", "volume.attached", "volume.detached", "volume.moved", "pool.created", "pool.changed", "pool.deleted",
                "snapshot.created", "snapshot.reverted", "snapshot.deleted",
                "network.created", "network.deleted", "network.host-failed", "secgroup.created", "secgroup.deleted", "secgroup.rules", "secgroup.members", "nic.attached", "nic.detached",
                "retention.pruned", "retention.changed",
                "user.created", "user.rotated", "user.revoked", "project.created", "project.updated", "project.deleted");
    }

    @Test
    void namesAreUniqueWellFormedAndSpelledLikeTheirConstants() {
        Map<String, String> declaredBy = new HashMap<>();
        for (EventType t : all()) {
            String where = describe(t);
            assertThat(t.wireName()).as(where).matches(WELL_FORMED);
            assertThat(declaredBy.putIfAbsent(t.wireName(), where)).as(t.wireName() + " declared again by " + where).isNull();
            assertThat(t).as(where + " is an enum constant").isInstanceOf(Enum.class);
            String constant = ((Enum<?>) t).name().toLowerCase(Locale.ROOT).replaceFirst("_", ".").replace('_', '-');
            assertThat(t.wireName()).as(where).isEqualTo(constant);
        }
    }

    @Test
    void everyTypeIsDocumentedInTheApiReference() throws IOException {
        String api = Files.readString(Path.of("..", "docs", "API.md"));
        assertThat(all()).allSatisfy(t -> assertThat(api).as("docs/API.md names " + describe(t)).contains("`" + t.wireName() + "`"));
    }

    /** Every constant of every enum implementing {@link EventType} among the server's compiled classes. */
    static List<EventType> all() {
        Path classes;
        try {
            classes = Path.of(EventType.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<EventType> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, EventType.class.getClassLoader());
                if (c.isEnum() && EventType.class.isAssignableFrom(c)) {
                    for (Object constant : c.getEnumConstants()) out.add((EventType) constant);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        assertThat(out).as("event types found in " + classes).isNotEmpty();
        return out;
    }

    private static String describe(EventType t) {
        return t instanceof Enum<?> e ? e.getDeclaringClass().getSimpleName() + "." + e.name() : t.getClass().getName();
    }
}
