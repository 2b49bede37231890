package io.polyvisor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.polyvisor.model.InvalidInput;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request body read field by field, so every mistake gets an exact message naming the field
 * ({@code vcpus must be an integer, got string}) instead of a parser's stack of words. JSON null is the
 * same as an absent field. Fields not in {@code allowed} are refused.
 */
public final class Body {
    private final ObjectNode node;
    private final String where;

    private Body(ObjectNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /**
     * The request body as text, decoded as UTF-8, the only charset {@link JsonMediaType} lets through. Routes read
     * bodies only through this: Javalin's {@code ctx.body()} decodes by the Content-Type's charset parameter as
     * written and fails on some valid ones ({@code charset="utf-8"}). Bytes that are not UTF-8 are a 400.
     */
    public static String text(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        if (decoder.decode(in, out, true).isError() || decoder.flush(out).isError()) {
            throw new InvalidInput("request body is not valid UTF-8 (at byte " + in.position() + ")");
        }
        return out.flip().toString();
    }

    /** Parses {@code text} (blank = {}) as a JSON object with only {@code allowed} fields. */
    public static Body parse(ObjectMapper mapper, String text, Set<String> allowed) {
        JsonNode n;
        try {
            n = text == null || text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidInput("request body is not valid JSON" + (loc == null ? ""
                    : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        }
        if (n == null || !n.isObject()) throw new InvalidInput("request body must be a JSON object, got " + type(n));
        return new Body((ObjectNode) n, "").only(allowed);
    }

    private Body only(Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new InvalidInput("unknown field '" + where + printable(f) + "'; " + (allowed.isEmpty()
                        ? "this request takes no fields" : "allowed: " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        return this;
    }

    /** Whether the request names {@code field} at all, even as null (unlike {@link #has}). */
    public boolean present(String field) {
        return node.has(field);
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public String string(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isTextual()) throw wrongType(field, "a string", v);
        return v.textValue();
    }

    public String requiredString(String field) {
        String s = string(field);
        if (s == null) throw new InvalidInput(where + field + " is required");
        return s;
    }

    public Integer integer(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw wrongType(field, "an integer", v);
        if (!v.canConvertToInt()) throw new InvalidInput(where + field + " is out of range, got " + v.asText());
        return v.intValue();
    }

    public Long longInteger(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw wrongType(field, "an integer", v);
        if (!v.canConvertToLong()) throw new InvalidInput(where + field + " is out of range, got " + v.asText());
        return v.longValue();
    }

    /** A finite JSON number (integer or not). */
    public Double number(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) throw wrongType(field, "a number", v);
        return v.doubleValue();
    }

    public Boolean bool(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isBoolean()) throw wrongType(field, "true or false", v);
        return v.booleanValue();
    }

    /** An object whose values are all strings (labels). */
    public Map<String, String> stringMap(String field) {
        JsonNode v = get(field);
        if (v == null) return Map.of();
        if (!v.isObject()) throw wrongType(field, "an object", v);
        Map<String, String> m = new LinkedHashMap<>();
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new InvalidInput(where + field + "." + printable(e.getKey()) + " must be a string, got " + type(e.getValue()));
            }
            m.put(e.getKey(), e.getValue().textValue());
        }
        return m;
    }

    public List<Integer> integerList(String field) {
        JsonNode v = get(field);
        if (v == null) return List.of();
        if (!v.isArray()) throw wrongType(field, "an array of integers", v);
        InvalidInput.require(v.size() <= 64, where + field + " must have at most 64 entries, got " + v.size());
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) throw wrongType(field, "an array of integers", v);
            out.add(e.intValue());
        }
        return out;
    }

    /** An array of strings, at most 64 entries; empty if absent. */
    public List<String> stringList(String field) {
        JsonNode v = get(field);
        if (v == null) return List.of();
        if (!v.isArray()) throw wrongType(field, "an array of strings", v);
        InvalidInput.require(v.size() <= 64, where + field + " must have at most 64 entries, got " + v.size());
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw wrongType(field, "an array of strings", v);
            out.add(e.textValue());
        }
        return out;
    }

    /** A nested object with only {@code allowed} fields, or null if absent. */
    public Body object(String field, Set<String> allowed) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isObject()) throw wrongType(field, "an object", v);
        return new Body((ObjectNode) v, where + field + ".").only(allowed);
    }

    /** An array of objects with only {@code allowed} fields each (at most {@code max}), or an empty list if absent. */
    public List<Body> objectList(String field, Set<String> allowed, int max) {
        JsonNode v = get(field);
        if (v == null) return List.of();
        if (!v.isArray()) throw wrongType(field, "an array of objects", v);
        InvalidInput.require(v.size() <= max, where + field + " must have at most " + max + " entries, got " + v.size());
        List<Body> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isObject()) throw new InvalidInput(where + field + "[" + i + "] must be an object, got " + type(e));
            out.add(new Body((ObjectNode) e, where + field + "[" + i + "].").only(allowed));
        }
        return out;
    }

    private JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private InvalidInput wrongType(String field, String expected, JsonNode got) {
        return new InvalidInput(where + field + " must be " + expected + ", got " + type(got));
    }

    public static String type(JsonNode n) {
        if (n == null) return "nothing";
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
