package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polyvisor.testing.Gen;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static io.polyvisor.testing.Gen.weighted;

/**
 * Hostile variants of one operation ({@link FuzzedOperations.Operation}), drawn from its schema: a plausible request
 * (every required field, some optional ones, values of the right type and names of real objects) broken by up to four
 * mutations of its body (wrong JSON types, missing required and unknown fields, huge, negative, zero and overflowing
 * numbers, long, non-ASCII and control-character strings, deep nesting, truncated or invalid JSON, invalid UTF-8
 * bytes), with path parameters that are real names or tricks ({@code %zz}, {@code %2e%2e}, {@code %00}, very long,
 * Unicode), query parameters of the wrong type, and a wrong or absent content type. A variant shrinks by dropping
 * mutations and query parameters, and towards the first path value and content type.
 */
final class HostileRequests {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A request as bytes on the wire, apart from the credential; {@code contentType} null sends none. */
    record Variant(String method, String target, String contentType, List<String> headers, byte[] body, List<String> mutations) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.length() > 300) text = text.substring(0, 300) + "...(" + body.length + " bytes)";
            return method + " " + abbreviate(target) + " [" + contentType + "] " + headers + " " + mutations + " " + printable(text);
        }
    }

    /** Methods no route has, or in another spelling: 405 or 404, never a page or an echo. */
    static final List<String> OTHER_METHODS = List.of("PATCH", "OPTIONS", "TRACE", "PROPFIND", "get", "CONNECT", "FOO");

    /** Headers a client may add that must not change how an error looks (an HTML error page for Accept: text/html, say). */
    static final List<String> HEADERS = List.of("Accept: text/html", "Accept: application/xml", "Accept: text/plain;q=1, */*;q=0",
            "Accept-Charset: iso-8859-1", "Content-Encoding: gzip", "Expect: 100-continue", "X-HTTP-Method-Override: DELETE",
            "Origin: http://evil.example", "Cookie: polyvisor_session=bogus", "Accept-Language: \u00fc", "If-None-Match: *");

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " chars)" : s;
    }

    private static String printable(String s) {
        var b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        return b.toString();
    }

    /** Path segment tricks, already percent-encoded as they go on the wire. */
    static final List<String> PATH_TRICKS = List.of("%zz", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%00b", "%2e", "%25",
            "x".repeat(4000), "%C3%BC", "%F0%9F%98%80", "%FF%FE", "%E2%80%AE", "%C0%AE", "%20", "web%2Fx", "-1", "0",
            "99999999999999999999", "null", "%7Bname%7D", "web;x", "web%3Fa=b", "*", "%0d%0aX-Injected:%201", "no-such-thing");

    private static final List<String> QUERY_VALUES = List.of("abc", "-1", "0", "99999999999999999999", "1.5", "1e3", "", "%zz",
            "%00", "%C3%BC", "%FF", "true", "x".repeat(3000), "a=b", "%2e%2e%2f", "-9223372036854775809", "NaN");

    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "application/json; charset=iso-8859-1", "application/json;charset=utf-16", "multipart/form-data; boundary=x",
            "application/xml", "application/problem+json", "%%%", "application/json; charset=");

    private static final List<String> HOSTILE_STRINGS = List.of("", " ", "\u0000", "a\u0000b", "\u202e", "\uD83D\uDE00", "ü",
            "\r\n", "\t", "../../etc/passwd", "%00", "<script>", "\uFEFF", "a".repeat(300), "x".repeat(10_000), "\uFFFF", "-",
            "0", "-1", "NaN", "null", "true", "1e400", "9".repeat(40));

    private static final List<String> RAW_NUMBERS = List.of("-1", "0", "-0", "2147483648", "-2147483649", "9223372036854775808",
            "-9223372036854775809", "1e400", "-1e400", "1e-400", "1.5", "123456789012345678901234567890", "0.0000001", "1E2");

    /**
     * @param names     names of real objects, to put in path parameters and string fields
     * @param deletable whether real names may go in this operation's path (not for DELETE, which would empty the world)
     */
    static Gen<Variant> variants(FuzzedOperations.Operation op, Supplier<List<String>> names, boolean deletable) {
        Gen<List<String>> path = pathValue(names, deletable).list(op.pathParams().size(), op.pathParams().size());
        Gen<List<String>> query = queryParam(op).list(0, 3);
        Gen<List<Mutation>> mutations = mutation().list(0, 4);
        Gen<String> contentType = op.body() != null
                ? Gen.frequency(weighted(8, Gen.constant("application/json")), weighted(1, Gen.constant((String) null)),
                        weighted(2, Gen.elements(CONTENT_TYPES)))
                : Gen.frequency(weighted(6, Gen.constant((String) null)), weighted(1, Gen.constant("application/json")),
                        weighted(1, Gen.elements(CONTENT_TYPES)));
        Gen<List<String>> headers = Gen.elements(HEADERS).list(0, 2);
        Gen<String> method = Gen.frequency(weighted(15, Gen.constant(op.method())), weighted(1, Gen.elements(OTHER_METHODS)));
        Gen<Long> seeds = Gen.seeds();
        return Gen.zip(Gen.zip(path, query, headers, method, (p, q, h, m) -> List.of(p, q, h, List.of(m))), mutations, contentType, seeds,
                (pq, ms, ct, seed) -> {
            Random rnd = new Random(seed);
            String verb = pq.get(3).get(0);
            String target = op.fill(pq.get(0)) + (pq.get(1).isEmpty() ? "" : "?" + String.join("&", pq.get(1)));
            boolean sendBody = op.body() != null ? (op.bodyRequired() || rnd.nextInt(4) > 0) : !ms.isEmpty() && ct != null;
            if (!sendBody) return new Variant(verb, target, ct, pq.get(2), new byte[0], List.of());
            JsonNode schema = op.body() != null ? op.body() : F.objectNode().put("type", "object");
            var body = new Body(plausible(schema, rnd, names.get(), 0));
            for (Mutation m : ms) m.apply(body, rnd);
            return new Variant(verb, target, ct, pq.get(2), body.bytes(), ms.stream().map(Mutation::toString).toList());
        });
    }

    private static Gen<String> pathValue(Supplier<List<String>> names, boolean real) {
        Gen<String> tricks = Gen.elements(PATH_TRICKS);
        Gen<String> random = Gen.strings(20).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        Gen<String> realNames = Gen.of(rnd -> {
            List<String> n = names.get();
            return n.isEmpty() ? "none" : URLEncoder.encode(n.get(rnd.nextInt(n.size())), StandardCharsets.UTF_8);
        });
        return real ? Gen.frequency(weighted(4, realNames), weighted(3, tricks), weighted(1, random))
                : Gen.frequency(weighted(3, tricks), weighted(1, random));
    }

    private static Gen<String> queryParam(FuzzedOperations.Operation op) {
        List<String> names = new ArrayList<>(op.queryParams());
        names.add("unknown");
        return Gen.zip(Gen.elements(names), Gen.elements(QUERY_VALUES), (n, v) -> n + "=" + v);
    }

    /** A request that the schema allows, as far as types go: what the mutations then break. */
    static JsonNode plausible(JsonNode schema, Random rnd, List<String> names, int depth) {
        if (schema.has("enum")) return schema.path("enum").get(rnd.nextInt(schema.path("enum").size()));
        for (String k : List.of("oneOf", "anyOf")) {
            if (schema.path(k).size() > 0) return plausible(schema.path(k).get(rnd.nextInt(schema.path(k).size())), rnd, names, depth);
        }
        String type = type(schema);
        if (depth > 4) return F.nullNode();
        return switch (type) {
            case "object" -> {
                ObjectNode o = F.objectNode();
                var required = new ArrayList<String>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(p -> {
                    if (required.contains(p.getKey()) || rnd.nextInt(3) == 0) o.set(p.getKey(), plausible(p.getValue(), rnd, names, depth + 1));
                });
                if (schema.path("additionalProperties").isObject() && rnd.nextBoolean()) {
                    o.set("k" + rnd.nextInt(3), plausible(schema.path("additionalProperties"), rnd, names, depth + 1));
                }
                yield o;
            }
            case "array" -> {
                var a = F.arrayNode();
                for (int i = rnd.nextInt(3); i > 0; i--) a.add(plausible(schema.path("items"), rnd, names, depth + 1));
                yield a;
            }
            case "integer" -> F.numberNode(rnd.nextInt(5));
            case "number" -> F.numberNode(rnd.nextInt(4) * 0.5);
            case "boolean" -> F.booleanNode(rnd.nextBoolean());
            case "null" -> F.nullNode();
            default -> {
                List<String> pool = new ArrayList<>(List.of("64M", "1G", "x1", "10.9.0.0/24", "10.9.0.7", "tcp:80", "1d", "restart", "fz"));
                pool.addAll(names);
                yield F.textNode(pool.get(rnd.nextInt(pool.size())));
            }
        };
    }

    private static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isTextual()) return t.asText();
        for (JsonNode x : t) if (!x.asText().equals("null")) return x.asText();
        if (schema.has("properties")) return "object";
        return "string";
    }

    /** The body being built: JSON, then raw text replacements, then byte-level damage, applied in that order. */
    static final class Body {
        JsonNode json;
        final List<String[]> raw = new ArrayList<>();
        final List<java.util.function.UnaryOperator<byte[]>> damage = new ArrayList<>();

        Body(JsonNode json) {
            this.json = json;
        }

        /** A field of the top object (or of an object inside it), chosen by {@code pick}, or null if there is none. */
        ObjectNode holder(Random rnd) {
            if (!json.isObject()) return null;
            ObjectNode o = (ObjectNode) json;
            List<ObjectNode> nested = new ArrayList<>();
            o.elements().forEachRemaining(v -> {
                if (v.isObject()) nested.add((ObjectNode) v);
            });
            return nested.isEmpty() || rnd.nextInt(3) > 0 ? o : nested.get(rnd.nextInt(nested.size()));
        }

        String field(ObjectNode o, Random rnd) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            return names.isEmpty() ? "name" : names.get(rnd.nextInt(names.size()));
        }

        void setRaw(ObjectNode o, String field, String rawJson) {
            String marker = "@@RAW" + raw.size() + "@@";
            o.put(field, marker);
            raw.add(new String[] {"\"" + marker + "\"", rawJson});
        }

        byte[] bytes() {
            String text = json.toString();
            for (String[] r : raw) text = text.replace(r[0], r[1]);
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            for (var d : damage) b = d.apply(b);
            return b;
        }
    }

    /** One way to break a body; what it does is drawn from the random source it is given, so a seed replays it. */
    record Mutation(String kind) {
        void apply(Body b, Random rnd) {
            ObjectNode o = b.holder(rnd);
            switch (kind) {
                case "wrong-type" -> {
                    if (o != null) o.set(b.field(o, rnd), List.of(F.nullNode(), F.booleanNode(true), F.numberNode(12), F.textNode("str"),
                            F.arrayNode(), F.objectNode(), F.arrayNode().add(1).add("a"), F.numberNode(-3.5)).get(rnd.nextInt(8)));
                }
                case "drop-field" -> {
                    if (o != null) o.remove(b.field(o, rnd));
                }
                case "unknown-field" -> {
                    if (o != null) o.put(List.of("colour", "__proto__", "Name", "name ", "\u0000", "ü", "").get(rnd.nextInt(7)), "x");
                }
                case "hostile-string" -> {
                    if (o != null) o.put(b.field(o, rnd), HOSTILE_STRINGS.get(rnd.nextInt(HOSTILE_STRINGS.size())));
                }
                case "raw-number" -> {
                    if (o != null) b.setRaw(o, b.field(o, rnd), RAW_NUMBERS.get(rnd.nextInt(RAW_NUMBERS.size())));
                }
                case "huge-string" -> {
                    if (o != null) o.put(b.field(o, rnd), "y".repeat(rnd.nextBoolean() ? 20_000 : 70_000));
                }
                case "deep-nesting" -> {
                    int n = List.of(200, 1001, 5000, 20_000).get(rnd.nextInt(4));
                    String deep = rnd.nextBoolean() ? "[".repeat(n) + "]".repeat(n) : "{\"a\":".repeat(n) + "1" + "}".repeat(n);
                    if (o != null && rnd.nextBoolean()) b.setRaw(o, b.field(o, rnd), deep);
                    else b.damage.add(x -> deep.getBytes(StandardCharsets.UTF_8));
                }
                case "top-level" -> b.json = List.<JsonNode>of(F.arrayNode(), F.textNode("x"), F.numberNode(1), F.nullNode(),
                        F.booleanNode(false), F.arrayNode().add(b.json)).get(rnd.nextInt(6));
                case "duplicate-key" -> {
                    if (o != null && o == b.json) {
                        String f = b.field(o, rnd);
                        b.damage.add(x -> {
                            String s = new String(x, StandardCharsets.UTF_8);
                            return s.startsWith("{") ? ("{\"" + f + "\":1," + s.substring(1)).getBytes(StandardCharsets.UTF_8) : x;
                        });
                    }
                }
                case "truncate" -> {
                    double frac = rnd.nextDouble();
                    b.damage.add(x -> java.util.Arrays.copyOf(x, (int) (x.length * frac)));
                }
                case "invalid-utf8" -> {
                    byte[] bad = HexFormat.of().parseHex(List.of("ff", "c328", "c0af", "eda080", "f4908080", "e282", "80").get(rnd.nextInt(7)));
                    double at = rnd.nextDouble();
                    b.damage.add(x -> {
                        int i = (int) (x.length * at);
                        var out = new ByteArrayOutputStream();
                        out.write(x, 0, i);
                        out.writeBytes(bad);
                        out.write(x, i, x.length - i);
                        return out.toByteArray();
                    });
                }
                case "trailing-garbage" -> b.damage.add(x -> (new String(x, StandardCharsets.UTF_8)
                        + List.of(" x", "}", ",{}", "\u0000", " {\"a\":1}").get(rnd.nextInt(5))).getBytes(StandardCharsets.UTF_8));
                case "bom" -> b.damage.add(x -> {
                    var out = new ByteArrayOutputStream();
                    out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                    out.writeBytes(x);
                    return out.toByteArray();
                });
                case "empty" -> b.damage.add(x -> new byte[0]);
                default -> throw new IllegalArgumentException(kind);
            }
        }

        @Override
        public String toString() {
            return kind;
        }
    }

    private static Gen<Mutation> mutation() {
        return Gen.elements(List.of("wrong-type", "drop-field", "unknown-field", "hostile-string", "raw-number", "huge-string",
                "deep-nesting", "top-level", "duplicate-key", "truncate", "invalid-utf8", "trailing-garbage", "bom", "empty"))
                .map(Mutation::new);
    }
}
