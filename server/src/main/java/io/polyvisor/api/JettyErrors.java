package io.polyvisor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The errors Jetty answers by itself, before or around the routes, as problems instead of its HTML pages:
 * requests it cannot parse (a bad percent-encoding, no URI: 400; a URI or headers past
 * {@link HttpEdge#MAX_HEAD_BYTES}: 414, 431), and anything sent through {@code sendError}. A 5xx says nothing
 * of its cause, which is logged.
 */
final class JettyErrors extends ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(JettyErrors.class);

    private final ObjectMapper mapper;

    JettyErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A request Jetty could not parse, so nothing was dispatched: the answer is built from the status alone. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
        return ByteBuffer.wrap(Problems.json(mapper, status, detail(status, reason)));
    }

    /** Whatever the method, the error gets a body (Jetty's default writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** Whatever the request accepts, the error is a problem. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        if (code >= 500) log.error("{} from the web server on {} {}: {}", code, request.getMethod(), request.getRequestURI(), message);
        byte[] body = Problems.json(mapper, code, code >= 500 ? Problems.title(code) : detail(code, message));
        response.setContentType(Problems.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    private static String detail(int status, String reason) {
        return switch (status) {
            case 414 -> "request URI is too long (request line and headers are limited to " + HttpEdge.MAX_HEAD_BYTES + " bytes)";
            case 431 -> "request headers are too large (request line and headers are limited to " + HttpEdge.MAX_HEAD_BYTES + " bytes)";
            case 417 -> "the Expect header is not supported (only 100-continue is)";
            case 505 -> "HTTP version not supported: use HTTP/1.1 or HTTP/1.0";
            case 400 -> "malformed request: the request line, its percent-encoding or a header is not valid HTTP"
                    + (reason == null || reason.equals(HttpStatus.getMessage(400)) ? "" : " (" + reason + ")");
            default -> reason == null || reason.isBlank() ? Problems.title(status) : reason;
        };
    }
}
