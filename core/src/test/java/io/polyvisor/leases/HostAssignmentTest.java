package io.polyvisor.leases;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class HostAssignmentTest {
    private static List<String> hosts(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "h" + i).toList();
    }

    @Test
    void everyHostGetsExactlyOneOfTheServers() {
        var owners = HostAssignment.assign(List.of("a", "b", "c"), hosts(100));
        assertThat(owners).hasSize(100);
        assertThat(owners.values()).allMatch(s -> List.of("a", "b", "c").contains(s));
    }

    @Test
    void noServerMeansNoOwner() {
        assertThat(HostAssignment.assign(List.of(), hosts(5))).isEmpty();
    }

    @Test
    void oneServerOwnsEverything() {
        assertThat(HostAssignment.assign(List.of("only"), hosts(20)).values()).containsOnly("only");
    }

    @Test
    void theOrderOfTheInputsDoesNotMatter() {
        long seed = new Random().nextLong();
        var random = new Random(seed);
        var servers = new ArrayList<>(List.of("s1", "s2", "s3", "s4"));
        var hs = new ArrayList<>(hosts(200));
        var first = HostAssignment.assign(servers, hs);
        Collections.shuffle(servers, random);
        Collections.shuffle(hs, random);
        assertThat(HostAssignment.assign(servers, hs)).as("seed %d", seed).isEqualTo(first);
    }

    @Test
    void aLeavingServerMovesOnlyItsOwnHosts() {
        var before = HostAssignment.assign(List.of("s1", "s2", "s3"), hosts(1000));
        var after = HostAssignment.assign(List.of("s1", "s3"), hosts(1000), before);
        before.forEach((host, owner) -> {
            if (!owner.equals("s2")) assertThat(after.get(host)).as(host).isEqualTo(owner);
        });
    }

    @Test
    void aJoiningServerTakesHostsOnlyForItself() {
        var before = HostAssignment.assign(List.of("s1", "s2"), hosts(1000));
        var after = HostAssignment.assign(List.of("s1", "s2", "s3"), hosts(1000), before);
        before.forEach((host, owner) -> {
            if (!after.get(host).equals("s3")) assertThat(after.get(host)).as(host).isEqualTo(owner);
        });
    }

    @Test
    void sharesDifferByAtMostOneWhateverTheCurrentOwners() {
        long seed = new Random().nextLong();
        var random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int s = 1 + random.nextInt(6);
            var servers = IntStream.rangeClosed(1, s).mapToObj(i -> "s" + i).toList();
            var hs = hosts(random.nextInt(40));
            Map<String, String> current = new HashMap<>();
            for (String h : hs) if (random.nextBoolean()) current.put(h, "s" + (1 + random.nextInt(8))); // some owners gone
            var owners = HostAssignment.assign(servers, hs, current);
            assertThat(owners.keySet()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(hs);
            Map<String, Integer> counts = new HashMap<>();
            servers.forEach(x -> counts.put(x, 0));
            owners.values().forEach(x -> counts.merge(x, 1, Integer::sum));
            int min = counts.values().stream().min(Integer::compare).orElse(0);
            int max = counts.values().stream().max(Integer::compare).orElse(0);
            assertThat(max - min).as("seed %d: %s", seed, counts).isLessThanOrEqualTo(1);
            // a host whose owner is a member within its share stays: a second pass changes nothing
            assertThat(HostAssignment.assign(servers, hs, owners)).as("seed %d", seed).isEqualTo(owners);
        }
    }

    @Test
    void threeServersSixHostsGetTwoEach() {
        var owners = HostAssignment.assign(List.of("s1", "s2", "s3"), hosts(6));
        Map<String, Integer> counts = new HashMap<>();
        owners.values().forEach(x -> counts.merge(x, 1, Integer::sum));
        assertThat(counts).containsOnly(Map.entry("s1", 2), Map.entry("s2", 2), Map.entry("s3", 2));
    }

    @Test
    void leaseNamesRoundTrip() {
        assertThat(LeaseNames.hostOf(LeaseNames.host("h7"))).isEqualTo("h7");
        assertThat(LeaseNames.hostOf(LeaseNames.LEADER)).isNull();
    }
}
