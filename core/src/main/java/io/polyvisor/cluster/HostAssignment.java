package io.polyvisor.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which live server should own each host: rendezvous (highest random weight) hashing of (server, host).
 *
 * <p>Contract: every host is assigned to exactly one of {@code servers} (none if there is no server); the result
 * depends only on the two sets, never on their order, so every server computes the same map from the same
 * membership; when a server joins, only hosts that move to it change owner; when one leaves, only its own hosts
 * move. With many hosts each server gets close to an equal share. Pure: no clock, no I/O.
 */
public final class HostAssignment {
    private HostAssignment() {}

    /** Host name to server name, for every host, sorted by host name. */
    public static Map<String, String> assign(Collection<String> servers, Collection<String> hosts) {
        var members = new TreeSet<>(servers);
        Map<String, String> owners = new TreeMap<>();
        if (members.isEmpty()) return owners;
        for (String host : hosts) {
            String best = null;
            long bestWeight = Long.MIN_VALUE;
            for (String server : members) {
                long w = weight(server, host);
                if (best == null || w > bestWeight) {
                    best = server;
                    bestWeight = w;
                }
            }
            owners.put(host, best);
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
