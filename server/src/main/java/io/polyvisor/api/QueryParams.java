package io.polyvisor.api;

import io.javalin.http.Context;
import io.polyvisor.model.InvalidInput;

/** Query parameters read the one way, with the exact messages of a 400. */
public final class QueryParams {
    private QueryParams() {}

    /** The whole number {@code name}, {@code dflt} when absent; 400 unless it is one between {@code min} and {@code max}. */
    public static long number(Context ctx, String name, long dflt, long min, long max) {
        String text = ctx.queryParam(name);
        if (text == null) return dflt;
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInput(name + " must be a whole number, got '" + (text.length() > 32 ? text.substring(0, 32) + "..." : text) + "'");
        }
        InvalidInput.require(v >= min && v <= max, name + " must be between " + min + " and " + max + ", got " + v);
        return v;
    }
}
