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

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every error the API returns, as {@code application/problem+json} in UTF-8 (RFC 9457). User mistakes map to 4xx
 * with the exact message; anything else is a bug: 500 with a generic detail and an id that is logged
 * with the stack trace, which is never sent. Errors Jetty answers by itself go through {@link JettyErrors}.
 */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    /** The Content-Type of every problem: the body is always UTF-8, whatever the request's encoding. */
    static final String MEDIA_TYPE = CONTENT_TYPE + ";charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    /**
     * An error response (RFC 9457).
     *
     * @param instance   for a 500: {@code /errors/UUID}, the id the server logged the error under; else absent
     * @param excludedBy for a 422 placement rejection: how many hosts each placement rule excluded; else absent
     * @param quota      for a 422 over quota: project, resource (vcpus, memory, vms), used, asked, limit (memory in bytes)
     */
    record Problem(String type, String title, int status, String detail,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String instance,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Integer> excludedBy,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> quota) {
        Problem(String type, String title, int status, String detail, String instance, Map<String, Integer> excludedBy) {
            this(type, title, status, detail, instance, excludedBy, null);
        }
    }

    private Problems() {}

    /**
     * Registers the mappers on {@code app}: exceptions, and Javalin's own 404/405/413 responses. A 405 names the
     * path's methods in {@code Allow}; a 408 or 413 closes the connection, since the rest of the body is not read.
     */
    static void install(Javalin app, ObjectMapper mapper) {
        app.exception(InvalidInput.class, (e, ctx) -> write(ctx, mapper, 400, "invalid-input", e.getMessage(), null, null));
        app.exception(Refusal.class, (e, ctx) -> {
            switch (e.kind()) {
                case NOT_FOUND -> write(ctx, mapper, 404, "not-found", e.getMessage(), null, null);
                case CONFLICT -> write(ctx, mapper, 409, "conflict", e.getMessage(), null, null);
                case GONE -> write(ctx, mapper, 410, "gone", e.getMessage(), null, null);
                case UNPLACEABLE -> write(ctx, mapper, 422, "placement-rejected", e.getMessage(), null, e.excludedBy());
                case OVER_QUOTA -> ctx.status(422).contentType(MEDIA_TYPE).result(bytes(mapper, new Problem("/problems/over-quota",
                        title(422), 422, e.getMessage(), null, null, e.figures())));
            }
        });
        app.exception(Store.Conflict.class, (e, ctx) -> write(ctx, mapper, 409, "conflict", e.getMessage(), null, null));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 405) ctx.header("Allow", allow(e.getDetails().values()));
            write(ctx, mapper, e.getStatus(), slug(e.getStatus()), detail(e.getStatus(), e.getMessage(), ctx), null, null);
        });
        app.exception(Exception.class, (e, ctx) -> {
            if (io.polyvisor.store.Stores.unreachable(e)) {
                // the database restarts or is cut off: say so, and when to retry
                log.warn("{} {}: the database is unreachable: {}", ctx.method(), ctx.path(), io.polyvisor.store.Stores.rootMessage(e));
                ctx.header("Retry-After", "5");
                write(ctx, mapper, 503, "database-unavailable", "the database is unreachable (restarting or cut off); retry in a few seconds",
                        null, null);
                return;
            }
            String id = UUID.randomUUID().toString();
            log.error("internal error {} on {} {}", id, ctx.method(), ctx.path(), e);
            write(ctx, mapper, 500, "internal-error", "internal error; the server log has the details under this instance id",
                    "/errors/" + id, null);
        });
        for (int status : new int[] {404, 405, 413}) {
            app.error(status, ctx -> {
                String written = ctx.res().getContentType();
                if (written == null || !written.startsWith(CONTENT_TYPE)) {
                    write(ctx, mapper, status, slug(status), detail(status, null, ctx), null, null);
                }
            });
        }
    }

    static void write(Context ctx, ObjectMapper mapper, int status, String slug, String detail, String instance,
                      Map<String, Integer> excludedBy) {
        if (status == 408 || status == 413) ctx.header("Connection", "close");
        ctx.status(status).contentType(MEDIA_TYPE)
                .result(bytes(mapper, new Problem("/problems/" + slug, title(status), status, detail, instance, excludedBy)));
    }

    /** The body of a problem with {@code status} and {@code detail}, for errors answered outside Javalin. */
    static byte[] json(ObjectMapper mapper, int status, String detail) {
        return bytes(mapper, new Problem("/problems/" + slug(status), title(status), status, detail, null, null));
    }

    private static byte[] bytes(ObjectMapper mapper, Problem p) {
        try {
            return mapper.writeValueAsBytes(p); // Jackson writes UTF-8
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise a problem", e);
        }
    }

    /** The methods Javalin found for the path (each entry lists some, comma-separated), plus HEAD wherever GET is. */
    private static String allow(Collection<String> found) {
        Set<String> methods = new LinkedHashSet<>();
        for (String list : found) {
            for (String m : list.split(",")) {
                if (!m.isBlank()) methods.add(m.strip());
            }
        }
        if (methods.contains("GET")) methods.add("HEAD");
        return String.join(", ", methods);
    }

    private static String detail(int status, String message, Context ctx) {
        return switch (status) {
            case 404 -> "no route " + ctx.req().getMethod() + " " + ctx.path();
            case 405 -> "method " + ctx.req().getMethod() + " is not allowed on " + ctx.path();
            case 413 -> BodyLimit.tooLarge(HttpEdge.MAX_BODY_BYTES);
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
            case 408 -> "request-timeout";
            case 409 -> "conflict";
            case 413 -> "body-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 417 -> "expectation-failed";
            case 429 -> "too-many-requests";
            case 431 -> "headers-too-large";
            case 505 -> "http-version-not-supported";
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
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "HTTP " + status;
        };
    }
}
