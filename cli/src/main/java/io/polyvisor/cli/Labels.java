package io.polyvisor.cli;

import io.polyvisor.model.Names;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --label k=v} options, parsed and validated with the server's own rules ({@link Names}). */
final class Labels {
    private Labels() {}

    static Map<String, String> parse(List<String> options) {
        var labels = new LinkedHashMap<String, String>();
        if (options == null) return labels;
        for (var text : options) {
            var e = Names.parseLabel(text);
            labels.put(e.getKey(), e.getValue());
        }
        Names.requireLabels(labels);
        return labels;
    }
}
