package io.polyvisor.spi;

import io.polyvisor.model.InvalidInput;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Maps URI schemes to drivers. Built once at startup; immutable after. */
public final class DriverRegistry {
    private final Map<String, DriverProvider> byScheme = new LinkedHashMap<>();
    private final List<DriverProvider> providers;

    public DriverRegistry(List<DriverProvider> providers) {
        this.providers = List.copyOf(providers);
        for (var p : providers) {
            for (var s : p.schemes()) byScheme.putIfAbsent(s, p);
        }
    }

    /** All drivers on the class path. */
    public static DriverRegistry load() {
        var list = new ArrayList<DriverProvider>();
        ServiceLoader.load(DriverProvider.class).forEach(list::add);
        return new DriverRegistry(list);
    }

    public List<DriverProvider> providers() {
        return providers;
    }

    /** The driver for {@code uri}, or {@link InvalidInput} naming the schemes that exist. */
    public DriverProvider forUri(URI uri) {
        var p = uri.getScheme() == null ? null : byScheme.get(uri.getScheme());
        if (p == null) {
            throw new InvalidInput("no driver for URI scheme '" + uri.getScheme() + "'; known schemes: "
                    + String.join(", ", byScheme.keySet()));
        }
        return p;
    }

    public HostConnection connect(URI uri) {
        return forUri(uri).connect(uri);
    }
}
