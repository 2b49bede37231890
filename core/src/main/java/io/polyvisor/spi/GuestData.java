package io.polyvisor.spi;

import io.polyvisor.model.InvalidInput;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Named strings handed to one VM instance at definition, through a channel only that VM sees (for QEMU: firmware
 * configuration entries {@code opt/io.polyvisor/NAME}, readable inside the guest by root under
 * {@code /sys/firmware/qemu_fw_cfg/by_name/}). They may hold credentials: {@link #toString()} shows names only,
 * and drivers must not log values.
 *
 * <p>Names: 1 to 32 of {@code [a-z0-9-]}, starting with a letter; at most 8 entries; values printable ASCII, at most
 * 1024 characters each.
 */
public record GuestData(Map<String, String> entries) {
    public static final String FWCFG_PREFIX = "opt/io.polyvisor/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public GuestData {
        entries = entries == null ? Map.of() : new TreeMap<>(entries);
        InvalidInput.require(entries.size() <= 8, "at most 8 guest data entries, got " + entries.size());
        for (var e : entries.entrySet()) {
            InvalidInput.require(NAME.matcher(e.getKey()).matches(), "guest data name must match [a-z][a-z0-9-]{0,31}");
            String v = e.getValue();
            InvalidInput.require(v != null && v.length() <= 1024 && v.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
                    "guest data " + e.getKey() + " must be printable ASCII of at most 1024 characters");
        }
        entries = java.util.Collections.unmodifiableMap(entries);
    }

    public static GuestData none() {
        return new GuestData(Map.of());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return "GuestData" + entries.keySet();
    }
}
