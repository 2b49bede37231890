package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A host's fence agent: a {@code fence_*} program (Debian's fence-agents, or one speaking the same protocol)
 * and the {@code key=value} options it gets on standard input ({@code ip}, {@code username}, {@code password},
 * {@code plug}, ...). {@code action} is set by Polyvisor, not configured.
 *
 * <p>Stored as the setting {@link #key ha.fence_agent.HOST}, {@code {"agent":"fence_ipmilan","options":{...}}};
 * before that as {@code ha.fence.HOST} in the line form of {@link #encode}. Options whose key contains
 * {@code passw} are secrets: {@link #redacted} hides them and they are never logged.
 */
public record FenceConfig(String agent, Map<String, String> options) {
    private static final Pattern AGENT = Pattern.compile("(/[A-Za-z0-9._/-]+/)?fence_[a-z0-9_]+");
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final Codec<FenceConfig> DOCUMENT = Codec.of(
            c -> Map.of("agent", c.agent(), "options", new TreeMap<>(c.options())),
            d -> new FenceConfig(d.text("agent"), d.texts("options")));

    public FenceConfig {
        InvalidInput.require(agent != null && AGENT.matcher(agent).matches() && !agent.contains("/../") && !agent.contains("/./"),
                "fence agent must be a fence_* program name or an absolute path to one, got '" + printable(agent) + "'");
        options = options == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(options));
        InvalidInput.require(options.size() <= 32, "at most 32 fence agent options are allowed, got " + options.size());
        options.forEach((k, v) -> {
            InvalidInput.require(KEY.matcher(k).matches(), "fence agent option name must be 1-64 characters of a-z, 0-9, '_' and '-', got '" + printable(k) + "'");
            InvalidInput.require(!k.equals("action"), "fence agent option 'action' is set by Polyvisor and must not be configured");
            InvalidInput.require(v != null && v.length() <= 1024 && v.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0),
                    "fence agent option " + k + " must be at most 1024 characters on one line");
        });
    }

    /** The setting holding {@code host}'s fence agent; absent if it has none. */
    public static SettingsKey<FenceConfig> key(String host) {
        return new SettingsKey<>("ha.fence_agent." + host, null, DOCUMENT, new Legacy.Text<>("ha.fence." + host, FenceConfig::decode));
    }

    static boolean secret(String key) {
        return key.toLowerCase(Locale.ROOT).contains("passw");
    }

    /** The options with secret values replaced by {@code ***}, fit for logs and API answers. */
    public Map<String, String> redacted() {
        var out = new LinkedHashMap<String, String>();
        options.forEach((k, v) -> out.put(k, secret(k) ? "***" : v));
        return out;
    }

    /** {@code agent=...} then one {@code key=value} per line: how fence agents were stored before {@link #key}. */
    public String encode() {
        var b = new StringBuilder("agent=").append(agent).append('\n');
        options.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    public static FenceConfig decode(String text) {
        String agent = null;
        var options = new LinkedHashMap<String, String>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String k = line.substring(0, eq), v = line.substring(eq + 1);
            if (k.equals("agent")) agent = v;
            else options.put(k, v);
        }
        return new FenceConfig(agent, options);
    }

    private static String printable(String s) {
        if (s == null) return "null";
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
