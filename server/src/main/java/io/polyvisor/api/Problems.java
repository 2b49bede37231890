package io.polyvisor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * Every error the API returns, as {@code application/problem+json} (RFC 9457). User mistakes map to 4xx
 * with the exact message; anything else is a bug: 500 with a generic detail and an id that is logged
 * with the stack trace, which is never sent.
 */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    /**
     * An error response (RFC 9457).
     *
     * @param instance   for a 500: {@code /errors/UUID}, the id the server logged the error under; else absent
     * @param excludedBy for a 422: how many hosts each placement rule excluded; else absent
     */
    record Problem(String type, String title, int status, String detail,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String instance,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Integer> excludedBy) {}

    private Problems() {}

    /** Registers the mappers on {@code app}: exceptions, and Javalin's own 404/405/413 responses. */
    static void install(Javalin app, ObjectMapper mapper) {
        app.exception(InvalidInput.class, (e, ctx) -> write(ctx, mapper, 400, "invalid-input", e.getMessage(), null, null));
        app.exception(Refusal.class, (e, ctx) -> {
            switch (e.kind()) {
                case NOT_FOUND -> write(ctx, mapper, 404, "not-found", e.getMessage(), null, null);
                case CONFLICT -> write(ctx, mapper, 409, "conflict", e.getMessage(), null, null);
                case UNPLACEABLE -> write(ctx, mapper, 422, "placement-rejected", e.getMessage(), null, e.excludedBy());
            }
        });
        app.exception(Store.Conflict.class, (e, ctx) -> write(ctx, mapper, 409, "conflict", e.getMessage(), null, null));
        app.exception(HttpResponseException.class, (e, ctx) ->
                write(ctx, mapper, e.getStatus(), slug(e.getStatus()), detail(e.getStatus(), e.getMessage(), ctx), null, null));
        app.exception(Exception.class, (e, ctx) -> {
            String id = UUID.randomUUID().toString();
            log.error("internal error {} on {} {}", id, ctx.method(), ctx.path(), e);
            write(ctx, mapper, 500, "internal-error", "internal error; the server log has the details under this instance id",
                    "/errors/" + id, null);
        });
        for (int status : new int[] {404, 405, 413}) {
            app.error(status, ctx -> {
                if (!CONTENT_TYPE.equals(ctx.res().getContentType())) {
                    write(ctx, mapper, status, slug(status), detail(status, null, ctx), null, null);
                }
            });
        }
    }

    static void write(Context ctx, ObjectMapper mapper, int status, String slug, String detail, String instance,
                      Map<String, Integer> excludedBy) {
        var p = new Problem("/problems/" + slug, title(status), status, detail, instance, excludedBy);
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(mapper.writeValueAsString(p));
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise a problem", e);
        }
    }

    private static String detail(int status, String message, Context ctx) {
        return switch (status) {
            case 404 -> "no route " + ctx.method() + " " + ctx.path();
            case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "request body is too large (limit " + ApiServer.MAX_BODY_BYTES + " bytes)";
            case 401 -> message == null || message.isBlank() || message.equals("Unauthorized") ? "missing or wrong bearer token" : message;
            default -> message == null || message.isBlank() ? title(status) : message;
        };
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "invalid-input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "body-too-large";
            default -> "http-" + status;
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
