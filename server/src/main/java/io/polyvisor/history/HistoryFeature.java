package io.polyvisor.history;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.model.Vm;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Usage history: copies the measured usage ({@code drivers.UsageView}, written by the host monitor) into a one-hour
 * history at 10 s steps every {@code period}, and serves it for the console's charts. In memory only.
 */
public final class HistoryFeature implements Feature {
    private final UsageHistory<String> hosts = new UsageHistory<>();
    private final UsageHistory<UUID> vms = new UsageHistory<>();
    private final Platform p;
    private final Function<String, Vm> findVm;
    private final Duration period;

    /** {@code period}: how often the measured usage is copied; at most the 10 s step, best the host monitor's period. */
    public HistoryFeature(Platform p, Function<String, Vm> findVm, Duration period) {
        this.p = p;
        this.findVm = findVm;
        this.period = period.compareTo(UsageHistory.STEP) > 0 ? UsageHistory.STEP : period;
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public List<Route> routes() {
        return new HistoryRoutes(p.store(), findVm, hosts, vms, p.clock()).routes();
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.every("usage-history", period, () -> {
            var now = p.clock().instant();
            hosts.record(now, p.usage().hosts());
            vms.record(now, p.usage().vms());
        }));
    }
}
