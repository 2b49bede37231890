package io.polyvisor.api;

import io.javalin.http.HttpResponseException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every request body is read through this filter's stream, which refuses it the moment it passes {@code maxBytes}
 * (413), whether it was declared with Content-Length or sent chunked: at most {@code maxBytes + 1} bytes are ever
 * taken from the connection. A declared length above the limit is refused before a byte is read. A body that stops
 * arriving for the connection's idle timeout is answered 408 and logged (method, path, client address and how
 * much arrived; never headers, query or body). A body cut short (the client closed its side early, or broke the
 * chunked framing) is a 400. The refusals are thrown as {@link HttpResponseException}s, so the
 * route's handler stops and {@link Problems} writes them.
 *
 * <p>A body the request leaves unread (refused, or never asked for, as on a 401) is abandoned: the answer goes out
 * at once with {@code Connection: close}, and {@link Linger} closes the connection soon after. Left alone, Jetty
 * would first read and discard whatever the client keeps sending, holding the answer back for as long as the
 * client streams, and then go on discarding until the client stops.
 */
final class BodyLimit implements Filter {
    private static final Logger log = LoggerFactory.getLogger(BodyLimit.class);
    private static final String ABANDONED = BodyLimit.class.getName() + ".abandoned";

    private final long maxBytes;
    private final Duration idleTimeout;

    BodyLimit(long maxBytes, Duration idleTimeout) {
        this.maxBytes = maxBytes;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest http)) {
            chain.doFilter(req, res);
            return;
        }
        var limited = new Limited(http);
        try {
            chain.doFilter(limited, res);
        } finally {
            if (limited.unread()) abandon(http);
        }
    }

    /** Marks the rest of the body failed, so Jetty neither waits for it nor drains it, and closes after answering. */
    private static void abandon(HttpServletRequest req) {
        Request base = Request.getBaseRequest(req);
        base.setAttribute(ABANDONED, Boolean.TRUE);
        base.getHttpChannel().failed(new IOException("request body left unread"));
    }

    /**
     * Closes the connection of an abandoned body {@code linger} after its answer was written. Until then Jetty
     * discards what still arrives, so the answer is not lost to a reset while it is on its way (closing a socket
     * with unread input resets it, which drops what it has not sent yet); after that the client's writes fail.
     * A connector bean: Jetty calls it as each answer completes.
     */
    static final class Linger implements HttpChannel.Listener {
        private final Duration linger;

        Linger(Duration linger) {
            this.linger = linger;
        }

        @Override
        public void onComplete(Request request) {
            if (request.getAttribute(ABANDONED) == null) return;
            EndPoint endPoint = request.getHttpChannel().getEndPoint();
            request.getHttpChannel().getScheduler().schedule(endPoint::close, linger.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static String tooLarge(long maxBytes) {
        return "request body is too large (limit " + maxBytes + " bytes)";
    }

    private final class Limited extends HttpServletRequestWrapper {
        private Counted stream;

        Limited(HttpServletRequest request) {
            super(request);
        }

        /** Whether the request has a body (declared or chunked) that was not read to its end. */
        boolean unread() {
            boolean body = getContentLengthLong() > 0 || getHeader("Transfer-Encoding") != null;
            return body && (stream == null || !stream.ended);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (getContentLengthLong() > maxBytes) throw new HttpResponseException(413, tooLarge(maxBytes));
            if (stream == null) stream = new Counted((HttpServletRequest) getRequest(), super.getInputStream());
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), charset == null ? StandardCharsets.UTF_8.name() : charset));
        }
    }

    private final class Counted extends ServletInputStream {
        private final HttpServletRequest request;
        private final ServletInputStream in;
        private long read;
        private boolean ended;

        Counted(HttpServletRequest request, ServletInputStream in) {
            this.request = request;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n;
            try {
                // one byte past the limit is enough to know the body is too large
                n = in.read(b, off, (int) Math.min(len, maxBytes + 1 - read));
            } catch (EofException e) {
                throw cutShort(); // Jetty's "Early EOF": the client closed, or the chunked framing broke
            } catch (IOException e) {
                if (e.getCause() instanceof TimeoutException) throw stalled();
                throw e;
            }
            if (n > 0) read += n;
            if (n == -1) ended = true;
            if (read > maxBytes) throw new HttpResponseException(413, tooLarge(maxBytes));
            return n;
        }

        private HttpResponseException cutShort() {
            long declared = request.getContentLengthLong();
            return new HttpResponseException(400, declared >= 0
                    ? "request body ended after " + read + " of " + declared + " bytes"
                    : "request body ended early or its chunked framing is malformed, after " + read + " bytes");
        }

        private HttpResponseException stalled() {
            long declared = request.getContentLengthLong();
            String received = read + (declared >= 0 ? " of " + declared : "") + " bytes";
            log.warn("408: request body stalled for {} s after {}: {} {} from {}", idleTimeout.toSeconds(), received,
                    request.getMethod(), request.getRequestURI(), request.getRemoteAddr() + ":" + request.getRemotePort());
            return new HttpResponseException(408, "request body stopped arriving: nothing for " + idleTimeout.toSeconds()
                    + " s after " + received);
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
