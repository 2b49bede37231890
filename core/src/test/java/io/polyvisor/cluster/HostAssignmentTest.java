package io.polyvisor.cluster;

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
        var after = HostAssignment.assign(List.of("s1", "s3"), hosts(1000));
        before.forEach((host, owner) -> {
            if (!owner.equals("s2")) assertThat(after.get(host)).as(host).isEqualTo(owner);
        });
    }

    @Test
    void aJoiningServerTakesHostsOnlyForItself() {
        var before = HostAssignment.assign(List.of("s1", "s2"), hosts(1000));
        var after = HostAssignment.assign(List.of("s1", "s2", "s3"), hosts(1000));
        before.forEach((host, owner) -> {
            if (!after.get(host).equals("s3")) assertThat(after.get(host)).as(host).isEqualTo(owner);
        });
    }

    @Test
    void sharesAreCloseToEqual() {
        Map<String, Integer> counts = new HashMap<>();
        HostAssignment.assign(List.of("s1", "s2", "s3"), hosts(9000)).values().forEach(s -> counts.merge(s, 1, Integer::sum));
        assertThat(counts.values()).allMatch(c -> c > 2700 && c < 3300);
    }

    @Test
    void leaseNamesRoundTrip() {
        assertThat(LeaseNames.hostOf(LeaseNames.host("h7"))).isEqualTo("h7");
        assertThat(LeaseNames.hostOf(LeaseNames.LEADER)).isNull();
    }
}
