package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An HTTP error answer from the server, read from its {@code application/problem+json} body. The message is the
 * problem's {@code detail} exactly as the server wrote it.
 */
public final class ApiError extends CliError {
    private final int status;
    private final String title;
    private final JsonNode problem;

    ApiError(int status, String title, String detail, JsonNode problem) {
        super(detail);
        this.status = status;
        this.title = title;
        this.problem = problem;
    }

    /** Builds the error from a response; {@code problem} may be null when the body was not a problem document. */
    static ApiError from(int status, JsonNode problem, String rawBody) {
        String title = text(problem, "title");
        String detail = text(problem, "detail");
        if (detail == null) detail = title != null ? title : "server answered HTTP " + status + brief(rawBody);
        return new ApiError(status, title, detail, problem);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The whole problem document (with extensions such as {@code excluded_by}), or null. */
    public JsonNode problem() {
        return problem;
    }

    /** 400 is the user's input (2); 401/403 is authentication (3); anything else the operation failed (1). */
    @Override
    public int exitCode() {
        return switch (status) {
            case 400 -> Main.USAGE;
            case 401, 403 -> Main.UNREACHABLE;
            default -> Main.FAILED;
        };
    }

    @Override
    public String hint() {
        var excluded = problem == null ? null : problem.get("excluded_by");
        if (excluded != null && excluded.isObject() && !excluded.isEmpty()) {
            var parts = new java.util.ArrayList<String>();
            excluded.properties().forEach(e -> {
                if (!(e.getValue().isNumber() && e.getValue().asLong() == 0)) parts.add(e.getKey() + " " + e.getValue().asText());
            });
            if (!parts.isEmpty()) return "hosts excluded, by rule: " + String.join(", ", parts);
        }
        if (status == 401) return "pass --token, set POLYVISOR_TOKEN, or run from the directory holding data/admin.token";
        if (status >= 500 && problem != null && problem.hasNonNull("instance")) {
            return "the server logged this failure as " + problem.get("instance").asText();
        }
        return null;
    }

    private static String text(JsonNode n, String field) {
        return n != null && n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) return "";
        var line = body.strip().lines().findFirst().orElse("");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
}
