package io.polyvisor.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter/scorer placer. Pure: a function of the snapshot, the request and the settings.
 *
 * <p>Search is bounded and cheap first: an index ({@link FullnessIndex}) yields the hosts that could have room,
 * fullest first (the binpack scorer's order, to within the index's resolution: at most 1/32 of a host, finer for fuller
 * hosts); the filters run on those only, each feasible host is scored as it is found, and the search stops as soon as
 * no host left could score more than that resolution (times binpack's weight) above the best one (with the default
 * weights and a VM without soft rules: at the first feasible host), or after the feasible hosts of
 * {@link PlacementSettings#maxCandidates()} cells of the index. With more than 16 host sizes, the first maxCandidates
 * feasible hosts in host order are scored instead. A cluster with no more hosts than maxCandidates is searched whole,
 * in host order. Only when nothing is feasible does it pass over every host, to tell the user which rule excluded how
 * many hosts.
 */
public final class Scheduler implements Placer {
    /** How many of the best candidates a {@link Placement.Placed} lists with their scores. */
    static final int REPORTED = 16;
    private static final Comparator<Placement.HostScore> BEST_FIRST = Comparator.comparingDouble(Placement.HostScore::score).reversed();
    private final PlacementSettings settings;
    private final List<HostFilter> filters;
    private final List<HostScorer> scorers;
    private final double[] weights;
    private final String[] scorerNames;
    /** Weight of the binpack scorer (0 when disabled) and the sum of the others' weights: see {@link #ceiling}. */
    private final double binpackWeight, otherWeights;
    /** Hosts without room a fullest-first search visits before it goes on in host order. */
    static final int WALK_LIMIT = 64;

    public Scheduler(PlacementSettings settings) {
        this.settings = settings;
        this.filters = PlacementPlugins.filters();
        this.scorers = PlacementPlugins.scorers(settings);
        this.weights = scorers.stream().mapToDouble(s -> settings.weights().get(s.name())).toArray();
        this.scorerNames = scorers.stream().map(HostScorer::name).toArray(String[]::new);
        double bp = 0, others = 0;
        for (int i = 0; i < weights.length; i++) {
            if (scorerNames[i].equals(BinPackScorer.NAME)) bp = weights[i];
            else others += weights[i];
        }
        this.binpackWeight = bp;
        this.otherWeights = others;
    }

    /**
     * The highest total any host not yet visited could have, given {@code binpackBound} bounds its binpack score:
     * every scorer scores in [0, 1], and binpack is capped at 1.
     */
    private double ceiling(double binpackBound) {
        return binpackWeight * Math.min(1, binpackBound + 1e-9) + otherWeights;
    }

    public PlacementSettings settings() {
        return settings;
    }

    @Override
    public Placement place(ClusterSnapshot snapshot, PlacementRequest request) {
        return session(snapshot).place(request);
    }

    /** A session places many requests against one snapshot; each placement is seen by the next ones. */
    public Session session(ClusterSnapshot snapshot) {
        return new Session(new ClusterView(snapshot, settings));
    }

    /** Every host with the filter that excluded it (if any) and its scores: what {@code explain placement} shows. */
    public Explanation explain(ClusterSnapshot snapshot, PlacementRequest request) {
        ClusterView view = new ClusterView(snapshot, settings);
        Demand d = Demand.of(request);
        List<Explanation.HostVerdict> verdicts = new ArrayList<>();
        for (int h = 0; h < view.size(); h++) {
            HostFilter veto = firstVeto(view, h, d);
            if (veto != null) {
                verdicts.add(new Explanation.HostVerdict(view.host(h).name(), veto.name(), veto.reason(view, h, d), 0, Map.of()));
            } else {
                Placement.HostScore s = score(view, h, d);
                verdicts.add(new Explanation.HostVerdict(s.host(), null, null, s.score(), s.byScorer()));
            }
        }
        verdicts.sort(Comparator.comparing((Explanation.HostVerdict v) -> v.excludedBy() != null)
                .thenComparing(Comparator.comparingDouble(Explanation.HostVerdict::score).reversed()));
        return new Explanation(request.vm().name(), verdicts, new Session(view).place(request));
    }

    /** Indexes of the {@code n} largest values, unordered. */
    private static int[] top(double[] values, int count, int n) {
        if (count <= n) {
            int[] all = new int[count];
            for (int i = 0; i < count; i++) all[i] = i;
            return all;
        }
        int[] best = new int[n];
        int size = 0, min = 0;
        for (int i = 0; i < count; i++) {
            if (size < n) {
                best[size++] = i;
                if (size == n) min = argMin(values, best);
            } else if (values[i] > values[best[min]]) {
                best[min] = i;
                min = argMin(values, best);
            }
        }
        return best;
    }

    private static int argMin(double[] values, int[] idx) {
        int m = 0;
        for (int j = 1; j < idx.length; j++) if (values[idx[j]] < values[idx[m]]) m = j;
        return m;
    }

    private HostFilter firstVeto(ClusterView view, int h, Demand d) {
        for (HostFilter f : filters) {
            if (!f.admits(view, h, d)) return f;
        }
        return null;
    }

    private Placement.HostScore score(ClusterView view, int h, Demand d) {
        Map<String, Double> by = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < scorers.size(); i++) {
            double s = scorers.get(i).score(view, h, d);
            by.put(scorers.get(i).name(), s);
            total += weights[i] * s;
        }
        return new Placement.HostScore(view.host(h).name(), total, by);
    }

    /** Placements against one view; not thread-safe (one session per thread). */
    public final class Session {
        private final ClusterView view;
        private int[] feasible = new int[16];
        private double[] parts = new double[64], totals = new double[16];
        private int k, best;
        private FullnessIndex.Cursor cursor;

        private Session(ClusterView view) {
            this.view = view;
        }

        public Placement place(PlacementRequest request) {
            Demand d = Demand.of(request);
            k = 0;
            best = -1;
            if (d.pinnedHost() != null) {
                int p = view.indexOf(d.pinnedHost());
                if (p < 0) {
                    return new Placement.Rejected("host " + d.pinnedHost() + " does not exist", Map.of(PinningFilter.NAME, 1), false);
                }
                if (firstVeto(view, p, d) == null) consider(p, d);
            } else if (settings.maxCandidates() >= view.size()) {
                for (int h = 0; h < view.size() && k < settings.maxCandidates(); h++) {
                    if (firstVeto(view, h, d) == null) consider(h, d);
                }
            } else if (view.fullness.usable()) {
                fullestFirst(d);
            } else {
                hostOrder(d);
            }
            if (k == 0) return reject(d);
            int m = scorers.size();
            int chosen = feasible[best];
            List<Placement.HostScore> scores;
            if (k == 1) { // the common case: the first feasible host was (to the index's resolution) the best
                scores = List.of(hostScore(0, m));
            } else {
                scores = new ArrayList<>(Math.min(k, REPORTED));
                for (int c : top(totals, k, REPORTED)) scores.add(hostScore(c, m));
                scores.sort(BEST_FIRST);
            }
            view.reserve(chosen, d);
            return new Placement.Placed(view.host(chosen).name(), scores);
        }

        private Placement.HostScore hostScore(int c, int m) {
            var by = new ScoreBreakdown(scorerNames, java.util.Arrays.copyOfRange(parts, c * m, c * m + m));
            return new Placement.HostScore(view.host(feasible[c]).name(), totals[c], by);
        }

        /**
         * Candidates fullest first ({@link FullnessIndex}): stops when no host left could score more than binpack's
         * weight x the current cell's slack (at most 1/32) above the best one found (the walk bounds their binpack score,
         * every other scorer scores at most 1), or once it has scored the feasible hosts of maxCandidates cells (the hosts
         * of one cell are alike for binpack, so a soft rule, e.g. {@code host.prefer}, is looked for among all of a cell's
         * hosts before the bound moves on; a VM with soft rules may thus score many hosts). After {@link #WALK_LIMIT} hosts
         * visited without room (in the cells at the edge of the demand), the rest of the search goes on in host order.
         * Hosts a filter refuses are skipped as in host order: a rule few hosts meet costs a pass over the hosts with
         * room either way.
         */
        private void fullestFirst(Demand d) {
            FullnessIndex.Cursor walk = cursor == null ? cursor = view.fullness.new Cursor() : cursor;
            walk.start(d.vcpus(), d.memoryBytes());
            int misses = 0, cells = 0, lastCell = -1;
            while (true) {
                if (k > 0 && totals[best] >= ceiling(walk.bound()) - binpackWeight * (walk.slack() + 2e-9)) return; // 2e-9: rounding
                int h = walk.next();
                if (h < 0) return;
                if (!view.hasRoom(h, d)) {
                    if (++misses > WALK_LIMIT) {
                        hostOrder(d);
                        return;
                    }
                    continue;
                }
                if (firstVeto(view, h, d) != null) continue;
                if (walk.cells() != lastCell) { // hosts of one cell are alike for binpack: the bound counts cells
                    if (cells == settings.maxCandidates()) return;
                    cells++;
                    lastCell = walk.cells();
                }
                consider(h, d);
            }
        }

        /** Candidates in host order among the hosts with room, skipping those already considered. */
        private void hostOrder(Demand d) {
            for (int h = view.free.next(0, d.vcpus(), d.memoryBytes()); h >= 0 && h < view.size() && k < settings.maxCandidates();
                 h = view.free.next(h + 1, d.vcpus(), d.memoryBytes())) {
                if (considered(h) || firstVeto(view, h, d) != null) continue;
                consider(h, d);
            }
        }

        private boolean considered(int h) {
            for (int c = 0; c < k; c++) if (feasible[c] == h) return true;
            return false;
        }

        /** Scores feasible host {@code h} with every scorer and keeps it as candidate {@code k}. */
        private void consider(int h, Demand d) {
            int m = scorers.size();
            if (k == feasible.length) feasible = java.util.Arrays.copyOf(feasible, 2 * k);
            if (parts.length < (k + 1) * m) parts = java.util.Arrays.copyOf(parts, 2 * (k + 1) * m);
            if (totals.length <= k) totals = java.util.Arrays.copyOf(totals, 2 * (k + 1));
            feasible[k] = h;
            double total = 0;
            for (int i = 0; i < m; i++) {
                double v = scorers.get(i).score(view, h, d);
                parts[k * m + i] = v;
                total += weights[i] * v;
            }
            totals[k] = total;
            if (best < 0 || total > totals[best]) best = k;
            k++;
        }

        /**
         * Null when {@code vm} may run on {@code host} under every hard rule (as if it were not placed
         * anywhere else), else the first filter's reason, prefixed by its name.
         */
        public String veto(io.polyvisor.model.Vm vm, String host) {
            int h = view.indexOf(host);
            if (h < 0) return "pinning: host " + host + " does not exist";
            Demand d = Demand.of(PlacementRequest.of(vm));
            HostFilter f = firstVeto(view, h, d);
            return f == null ? null : f.name() + ": " + f.reason(view, h, d);
        }

        /** Records that {@code vm} leaves {@code from} (may be null) for {@code to} in the plan being built. */
        public void relocate(io.polyvisor.model.Vm vm, String from, String to) {
            Demand d = Demand.of(PlacementRequest.of(vm));
            int f = from == null ? -1 : view.indexOf(from);
            if (f >= 0) view.release(f, d);
            view.reserve(view.indexOf(to), d);
        }

        /** The view this session reads (capacities after overcommit, reservations, groups). */
        public ClusterView view() {
            return view;
        }

        private Placement.Rejected reject(Demand d) {
            int pinned = d.pinnedHost() == null ? -1 : view.indexOf(d.pinnedHost());
            if (pinned >= 0) { // one host was asked for: say exactly why it cannot
                HostFilter veto = firstVeto(view, pinned, d);
                return new Placement.Rejected("host " + d.pinnedHost() + " cannot run " + d.vm().name() + ": " + veto.reason(view, pinned, d),
                        Map.of(veto.name(), 1), veto.transientExclusion());
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            boolean resolvable = false;
            for (int h = 0; h < view.size(); h++) {
                if (d.pinnedHost() != null && !d.pinnedHost().equals(view.host(h).name())) continue;
                HostFilter veto = firstVeto(view, h, d);
                if (veto == null) continue;
                counts.merge(veto.name(), 1, Integer::sum);
                resolvable |= veto.transientExclusion();
            }
            Map<String, Integer> ordered = new LinkedHashMap<>();
            for (HostFilter f : filters) if (counts.containsKey(f.name())) ordered.put(f.name(), counts.get(f.name()));
            counts = ordered;
            StringBuilder why = new StringBuilder("no host can run ").append(d.vm().name());
            if (view.size() == 0) why.append(": there are no hosts");
            String sep = ": ";
            for (var e : counts.entrySet()) {
                why.append(sep).append(e.getKey()).append(" excluded ").append(e.getValue()).append(e.getValue() == 1 ? " host" : " hosts");
                sep = ", ";
            }
            return new Placement.Rejected(why.toString(), counts, resolvable);
        }
    }
}
