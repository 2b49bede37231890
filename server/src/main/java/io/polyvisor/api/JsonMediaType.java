package io.polyvisor.api;

import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A route that reads a JSON body refuses, before reading it, a body sent as anything else: 415 naming what was
 * sent. JSON is {@code application/json} or any {@code application/*+json} (RFC 6839), with no charset or
 * {@code charset=utf-8} (RFC 8259: JSON between systems is UTF-8); other parameters are ignored. A request
 * without a body (no Content-Length or 0, and not chunked) needs no Content-Type.
 */
final class JsonMediaType {
    private static final Pattern JSON = Pattern.compile("application/([a-z0-9!#$&^_.-]+\\+)?json");

    private JsonMediaType() {}

    /** {@code route}, checking the media type of any body first. */
    static Handler guarding(Handler route) {
        return ctx -> {
            check(ctx.req());
            route.handle(ctx);
        };
    }

    static void check(HttpServletRequest req) {
        boolean body = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
        if (!body) return;
        String refusal = refusal(req.getContentType());
        if (refusal != null) throw new HttpResponseException(415, refusal);
    }

    /** Why a body of {@code contentType} is not JSON in UTF-8, or null if it is. */
    static String refusal(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "a request body must be sent with Content-Type: application/json, got no Content-Type";
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!JSON.matcher(type).matches()) {
            return "a request body must be sent with Content-Type: application/json, got " + printable(contentType.strip());
        }
        for (int i = 1; i < parts.length; i++) {
            String[] nv = parts[i].split("=", 2);
            if (!nv[0].strip().equalsIgnoreCase("charset")) continue;
            String charset = nv.length < 2 ? "" : nv[1].strip().replaceAll("^\"|\"$", "");
            if (!charset.equalsIgnoreCase("utf-8")) return "a JSON request body must be UTF-8, got charset=" + printable(charset);
        }
        return null;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
