package io.polyvisor.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polyvisor.model.InvalidInput;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A stored settings document read field by field, so that a wrong value gets a message naming the field
 * ({@code fence_retry_seconds must be an integer, got "soon"}). JSON null is the same as an absent field. It
 * remembers which fields were read, so that {@link SettingsStore} can refuse the ones no codec knows.
 */
public final class Document {
    private final ObjectNode node;
    private final Set<String> known = new HashSet<>();

    Document(ObjectNode node) {
        this.node = node;
    }

    public int integer(String field, int ifAbsent) {
        JsonNode v = get(field);
        if (v == null) return ifAbsent;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw invalid(field, "an integer", v);
        return v.intValue();
    }

    public long longInteger(String field, long ifAbsent) {
        JsonNode v = get(field);
        if (v == null) return ifAbsent;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw invalid(field, "an integer", v);
        return v.longValue();
    }

    public double number(String field, double ifAbsent) {
        JsonNode v = get(field);
        if (v == null) return ifAbsent;
        if (!v.isNumber()) throw invalid(field, "a number", v);
        return v.doubleValue();
    }

    /** A required string. */
    public String text(String field) {
        JsonNode v = get(field);
        if (v == null) throw new Invalid(field, field + " is required");
        if (!v.isTextual()) throw invalid(field, "a string", v);
        return v.textValue();
    }

    /** A word from a closed set, read by {@code parse} (which throws {@link InvalidInput} with its own message). */
    public <E> E choice(String field, Function<String, E> parse, E ifAbsent) {
        JsonNode v = get(field);
        if (v == null) return ifAbsent;
        if (!v.isTextual()) throw invalid(field, "a string", v);
        try {
            return parse.apply(v.textValue());
        } catch (InvalidInput e) {
            throw new Invalid(field, e.getMessage());
        }
    }

    /** An object of strings; absent is empty. */
    public Map<String, String> texts(String field) {
        JsonNode v = get(field);
        if (v == null) return Map.of();
        if (!v.isObject()) throw invalid(field, "an object of strings", v);
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) throw invalid(field + "." + e.getKey(), "a string", e.getValue());
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** An object of numbers. */
    public Map<String, Double> numbers(String field, Map<String, Double> ifAbsent) {
        JsonNode v = get(field);
        if (v == null) return ifAbsent;
        if (!v.isObject()) throw invalid(field, "an object of numbers", v);
        Map<String, Double> out = new LinkedHashMap<>();
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isNumber()) throw invalid(field + "." + e.getKey(), "a number", e.getValue());
            out.put(e.getKey(), e.getValue().doubleValue());
        }
        return out;
    }

    /** Throws if the document has a field no read asked for (a typo, or a field this version does not know). */
    void requireOnlyKnown() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) throw new Invalid(f, "unknown field '" + printable(f) + "'; known: " + String.join(", ", new TreeSet<>(known)));
        }
    }

    private JsonNode get(String field) {
        known.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static Invalid invalid(String field, String expected, JsonNode got) {
        return new Invalid(field, field + " must be " + expected + ", got " + printable(got.toString()));
    }

    static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    /** A field holds a wrong value; the message says which and why. */
    static final class Invalid extends RuntimeException {
        private final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }
}
