package io.polyvisor.bench.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns replay results into the printed table and the {@code -o json} document: per day and policy,
 * then the median over days per policy, each beside CloudSim 3.0.3's released figure and the deviation,
 * then Polyvisor's targets (ESV below half and migrations below half of the best reference policy replayed in the run,
 * energy within 1.3x the bound of the load each replay served, computed in the run).
 */
public final class ConsolidationReport {
    /** The migrating CloudSim policies replayed as references; the best of those in a run sets the targets. */
    static final List<String> MIGRATING_REFERENCES = List.of("thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2", "lrr-mmt-1.2");
    public static final String METRIC_FORM = "CloudSim pooled: SLATAH = sum of host time short of requested CPU / sum of active"
            + " host time; PDM = CPU lost to migration / CPU requested over all VMs; SLAV = SLATAH x PDM; ESV = energy_kwh x SLAV";
    private final List<ReplayResult> results;
    private final List<String> days, policies;

    public ConsolidationReport(List<ReplayResult> results) {
        this.results = List.copyOf(results);
        this.days = List.copyOf(new LinkedHashSet<>(results.stream().map(ReplayResult::day).toList()));
        this.policies = List.copyOf(new LinkedHashSet<>(results.stream().map(ReplayResult::policy).toList()));
    }

    public String table() {
        var b = new StringBuilder();
        String head = "%-9s %-12s %10s %9s %10s %8s %7s %10s %9s | %12s %10s %7s %7s%n";
        String row = "%-9s %-12s %10.2f %9s %10d %8.2f %7.3f %10.3f %9.3f | %12s %10s %7s %7s%n";
        b.append(String.format(Locale.ROOT, head, "DAY", "POLICY", "ENERGY_KWH", "BOUND_KWH", "MIGRATIONS", "SLATAH%", "PDM%", "SLAV_E-5",
                "ESV_E-3", "CLOUDSIM_KWH", "CLOUDSIM_M", "DEV_E%", "DEV_M%"));
        for (ReplayResult r : results) {
            CloudSimFigures.Figures f = CloudSimFigures.of(r.day(), r.policy());
            b.append(String.format(Locale.ROOT, row, r.day(), r.policy(), r.energyKwh(), fmt(r.servedBoundKwh()), r.migrations(), 100 * r.slatah(),
                    100 * r.pdm(), 1e5 * r.slav(), 1e3 * r.esv(), f == null ? "-" : fmt(f.energyKwh()), f == null ? "-" : "" + f.migrations(),
                    f == null ? "-" : dev(r.energyKwh(), f.energyKwh()), f == null ? "-" : dev(r.migrations(), f.migrations())));
        }
        if (days.size() > 1) {
            b.append(String.format(Locale.ROOT, "%nmedian over %d days:%n", days.size()));
            for (String p : policies) {
                Map<String, Object> m = median(p);
                b.append(String.format(Locale.ROOT, row, "median", p, (double) m.get("energy_kwh"), fmt((double) m.get("served_bound_kwh")),
                        Math.round((double) m.get("migrations")),
                        100 * (double) m.get("slatah"), 100 * (double) m.get("pdm"), 1e5 * (double) m.get("slav"), 1e3 * (double) m.get("esv"),
                        opt(m.get("cloudsim_energy_kwh")), opt(m.get("cloudsim_migrations")), opt(m.get("energy_deviation_pct")),
                        opt(m.get("migrations_deviation_pct"))));
            }
        }
        if (policies.contains("polyvisor")) b.append('\n').append(targets().get("summary")).append('\n');
        b.append("metric form: ").append(METRIC_FORM).append('\n');
        return b.toString();
    }

    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "consolidation");
        doc.put("days", days);
        doc.put("metric_form", METRIC_FORM);
        List<Object> out = new ArrayList<>();
        for (String p : policies) {
            Map<String, Object> m = median(p);
            List<Object> perDay = new ArrayList<>();
            for (ReplayResult r : of(p)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("day", r.day());
                d.put("energy_kwh", r.energyKwh());
                d.put("served_bound_kwh", r.servedBoundKwh());
                d.put("energy_over_served_bound", r.energyKwh() / r.servedBoundKwh());
                d.put("migrations", r.migrations());
                d.put("slatah", r.slatah());
                d.put("pdm", r.pdm());
                d.put("slav", r.slav());
                d.put("esv", r.esv());
                d.put("runtime_s", r.seconds());
                perDay.add(d);
            }
            m.put("per_day", perDay);
            out.add(m);
        }
        doc.put("results", out);
        if (policies.contains("polyvisor")) doc.put("targets", targets());
        return doc;
    }

    private List<ReplayResult> of(String policy) {
        return results.stream().filter(r -> r.policy().equals(policy)).toList();
    }

    private Map<String, Object> median(String p) {
        List<ReplayResult> rs = of(p);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", p);
        m.put("energy_kwh", med(rs, ReplayResult::energyKwh));
        m.put("served_bound_kwh", med(rs, ReplayResult::servedBoundKwh));
        m.put("migrations", med(rs, ReplayResult::migrations));
        m.put("slatah", med(rs, ReplayResult::slatah));
        m.put("pdm", med(rs, ReplayResult::pdm));
        m.put("slav", med(rs, ReplayResult::slav));
        m.put("esv", med(rs, ReplayResult::esv));
        List<CloudSimFigures.Figures> fs = rs.stream().map(r -> CloudSimFigures.of(r.day(), p)).toList();
        if (!fs.isEmpty() && fs.stream().allMatch(java.util.Objects::nonNull)) {
            double e = ConsolidationBench.median(fs.stream().map(CloudSimFigures.Figures::energyKwh).toList());
            double mig = ConsolidationBench.median(fs.stream().map(f -> (double) f.migrations()).toList());
            m.put("cloudsim_energy_kwh", e);
            m.put("cloudsim_migrations", mig);
            m.put("energy_deviation_pct", 100 * ((double) m.get("energy_kwh") - e) / e);
            m.put("migrations_deviation_pct", mig == 0 ? 0.0 : 100 * ((double) m.get("migrations") - mig) / mig);
        }
        return m;
    }

    /** Polyvisor against the targets, from medians over the days run. */
    Map<String, Object> targets() {
        Map<String, Object> t = new LinkedHashMap<>();
        Map<String, Object> ours = median("polyvisor");
        // the best reference by median ESV among those replayed in this run (each reproduces CloudSim 3.0.3's figures)
        String bestPolicy = null;
        double bestEsv = Double.MAX_VALUE, bestMig = 0;
        for (String p : MIGRATING_REFERENCES) {
            if (!policies.contains(p)) continue;
            double esv = med(of(p), ReplayResult::esv);
            if (esv < bestEsv) {
                bestEsv = esv;
                bestPolicy = p;
                bestMig = med(of(p), ReplayResult::migrations);
            }
        }
        if (bestPolicy == null) {
            t.put("summary", "targets: no migrating reference policy replayed in this run (add --policies " + String.join(",", MIGRATING_REFERENCES) + ")");
            return t;
        }
        double ratio = ConsolidationBench.median(of("polyvisor").stream().map(r -> r.energyKwh() / r.servedBoundKwh()).toList());
        double esv = (double) ours.get("esv"), mig = (double) ours.get("migrations");
        t.put("best_reference_policy", bestPolicy);
        t.put("best_reference_esv", bestEsv);
        t.put("best_reference_migrations", bestMig);
        t.put("esv_below_half_of_best", esv < bestEsv / 2);
        t.put("migrations_below_half_of_best", mig < bestMig / 2);
        t.put("energy_over_served_bound", ratio);
        t.put("energy_within_1_3x_served_bound", ratio <= 1.3);
        t.put("stretch_esv_below_1_98e-3", esv < 1.98e-3);
        t.put("stretch_migrations_below_11850", mig < 11_850);
        t.put("summary", String.format(Locale.ROOT, "targets (medians, %d days): polyvisor ESV %.3fe-3 vs half of the best"
                        + " reference replayed, %s, %.3fe-3 -> %s; migrations %.0f vs half of %.0f -> %s; energy %.2fx the served load's bound (<= 1.3) -> %s;"
                        + " stretch (Table V LR-MMT-1.2: ESV 1.98e-3, 11850 migrations) -> %s",
                days.size(), 1e3 * esv, bestPolicy, 1e3 * bestEsv / 2, pass(esv < bestEsv / 2), mig, bestMig, pass(mig < bestMig / 2),
                ratio, pass(ratio <= 1.3), pass(esv < 1.98e-3 && mig < 11_850)));
        return t;
    }

    private static double med(List<ReplayResult> rs, ToDoubleFunction<ReplayResult> f) {
        return ConsolidationBench.median(rs.stream().map(f::applyAsDouble).toList());
    }

    private static String pass(boolean ok) {
        return ok ? "met" : "NOT met";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String opt(Object v) {
        return v == null ? "-" : v instanceof Double d ? (Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%.0f", d) : fmt(d)) : v.toString();
    }

    private static String dev(double ours, double theirs) {
        if (theirs == 0) return ours == 0 ? "0.00" : "-";
        return String.format(Locale.ROOT, "%+.2f", 100 * (ours - theirs) / theirs);
    }
}
