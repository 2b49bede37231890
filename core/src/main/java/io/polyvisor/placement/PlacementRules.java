package io.polyvisor.placement;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A VM's placement rules, written as VM labels so that every client (CLI, API, console) can set them
 * with {@code --label}:
 * <pre>
 *   affinity=G             hard: run on the host where the VMs of group G already run
 *   anti-affinity=G        hard: never share a host with another VM of group G
 *   affinity.soft=G        soft: prefer the host of group G
 *   anti-affinity.soft=G   soft: prefer a host without group G
 *   host.require.K=V       hard: only hosts whose label K equals V
 *   host.avoid.K=V         hard: never a host whose label K equals V
 *   host.prefer.K=V        soft: prefer hosts whose label K equals V
 * </pre>
 * Groups are plain names; a group exists while at least one VM carries it.
 */
public record PlacementRules(String affinity, String antiAffinity, String softAffinity, String softAntiAffinity,
                             Map<String, String> requireHost, Map<String, String> avoidHost, Map<String, String> preferHost) {
    public static final String AFFINITY = "affinity";
    public static final String ANTI_AFFINITY = "anti-affinity";
    public static final String SOFT_AFFINITY = "affinity.soft";
    public static final String SOFT_ANTI_AFFINITY = "anti-affinity.soft";
    public static final String REQUIRE = "host.require.";
    public static final String AVOID = "host.avoid.";
    public static final String PREFER = "host.prefer.";
    /**
     * Written by high availability on a hot standby: the id of the primary it backs. Placement reads it to keep
     * the two instances of a pair on different hosts ({@link StandbyApartFilter}); {@code ha.HaLabels} owns its meaning.
     */
    public static final String STANDBY_OF = "polyvisor.io/standby-of";

    static final PlacementRules NONE = new PlacementRules(null, null, null, null, Map.of(), Map.of(), Map.of());

    public static PlacementRules of(Map<String, String> labels) {
        if (labels.isEmpty()) return NONE;
        boolean hostRules = false;
        for (String k : labels.keySet()) hostRules |= k.startsWith("host.");
        if (!hostRules) { // group rules only: no maps to build
            return new PlacementRules(blankToNull(labels.get(AFFINITY)), blankToNull(labels.get(ANTI_AFFINITY)),
                    blankToNull(labels.get(SOFT_AFFINITY)), blankToNull(labels.get(SOFT_ANTI_AFFINITY)), Map.of(), Map.of(), Map.of());
        }
        Map<String, String> req = new LinkedHashMap<>(), avoid = new LinkedHashMap<>(), pref = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            if (k.startsWith(REQUIRE)) req.put(k.substring(REQUIRE.length()), v);
            else if (k.startsWith(AVOID)) avoid.put(k.substring(AVOID.length()), v);
            else if (k.startsWith(PREFER)) pref.put(k.substring(PREFER.length()), v);
        });
        return new PlacementRules(blankToNull(labels.get(AFFINITY)), blankToNull(labels.get(ANTI_AFFINITY)),
                blankToNull(labels.get(SOFT_AFFINITY)), blankToNull(labels.get(SOFT_ANTI_AFFINITY)),
                Map.copyOf(req), Map.copyOf(avoid), Map.copyOf(pref));
    }

    public boolean hasHostRules() {
        return !requireHost.isEmpty() || !avoidHost.isEmpty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
