package io.polyvisor.leases;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which live server should own each host: balanced, and sticky.
 *
 * <p>Contract: every host is assigned to exactly one of {@code servers} (none if there is no server); the number of
 * hosts per server differs by at most one; the result depends only on the arguments, never on their order, so every
 * server computes the same map from the same membership and lease table. A host stays with its current owner while
 * that owner is a member and within its share, so when a server leaves only its hosts move, and when one joins only
 * the hosts it takes move (those each server holds beyond its new share, the ones it ranks lowest). Hosts without an
 * owner go, in name order, to the server with room that ranks them highest (rendezvous hashing of (server, host)).
 * Pure: no clock, no I/O.
 */
public final class HostAssignment {
    private HostAssignment() {}

    /** Host name to server name, for every host, sorted by host name; no current owners. */
    public static Map<String, String> assign(Collection<String> servers, Collection<String> hosts) {
        return assign(servers, hosts, Map.of());
    }

    /**
     * Host name to server name, for every host, sorted by host name.
     *
     * @param current each host's owner now (from the lease table); owners that are not in {@code servers} are ignored
     */
    public static Map<String, String> assign(Collection<String> servers, Collection<String> hosts, Map<String, String> current) {
        var members = new TreeSet<>(servers);
        var all = new TreeSet<>(hosts);
        Map<String, String> owners = new TreeMap<>();
        if (members.isEmpty() || all.isEmpty()) return owners;
        Map<String, List<String>> held = new TreeMap<>();
        members.forEach(m -> held.put(m, new ArrayList<>()));
        for (String h : all) {
            String o = current.get(h);
            if (o != null && members.contains(o)) held.get(o).add(h);
        }
        // shares: H / S each, one more for the first H % S servers, those holding most first (they keep more)
        int base = all.size() / members.size();
        int extra = all.size() % members.size();
        var bySize = new ArrayList<>(members);
        bySize.sort(Comparator.comparing((String m) -> -held.get(m).size()).thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> room = new TreeMap<>();
        for (int i = 0; i < bySize.size(); i++) room.put(bySize.get(i), base + (i < extra ? 1 : 0));
        for (String m : members) {
            var mine = held.get(m);
            mine.sort(Comparator.comparingLong((String h) -> -weight(m, h)).thenComparing(Comparator.naturalOrder()));
            for (String h : mine) {
                if (room.get(m) == 0) break;
                owners.put(h, m);
                room.merge(m, -1, Integer::sum);
            }
        }
        for (String h : all) {
            if (owners.containsKey(h)) continue;
            String best = null;
            for (String m : members) {
                if (room.get(m) > 0 && (best == null || weight(m, h) > weight(best, h))) best = m;
            }
            owners.put(h, best);
            room.merge(best, -1, Integer::sum);
        }
        return owners;
    }
    /** A well-mixed 64-bit hash of the pair (FNV-1a, then a SplitMix64 finaliser): stable across JVMs and runs. */
    static long weight(String server, String host) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (server + '\u0000' + host).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
