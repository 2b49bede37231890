package io.polyvisor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Duration;
import java.util.EnumSet;

/**
 * The limits of the web server in front of the routes, all enforced by Jetty or before a route sees a byte, each
 * refusal a problem ({@link Problems}) like any other error:
 * <ul>
 *   <li>a request body is at most {@link #MAX_BODY_BYTES}, counted while it is read, chunked or not: 413
 *       ({@link BodyLimit}); a declared Content-Length above it is refused before anything is read; a body left
 *       unread is not drained: the answer closes the connection, {@link #LINGER} later at most;</li>
 *   <li>a client that sends nothing for {@link #IDLE_TIMEOUT} while its body is awaited gets 408, logged;
 *       a request head that stalls that long, or an idle kept-alive connection, is closed (there is no request to answer);</li>
 *   <li>the request line and headers together are at most {@link #MAX_HEAD_BYTES}: 414 for a longer URI, 431 for
 *       longer headers; a request Jetty cannot parse (bad percent-encoding, no URI) is 400 ({@link JettyErrors}).</li>
 * </ul>
 * Header values reach the routes exactly as sent (Jetty's per-connection header cache is made case-sensitive, so
 * a bearer token is compared as written). A response being written is not limited by the idle timeout unless a
 * write itself blocks that long, so the event stream (a heartbeat every 15 s) stays open.
 */
final class HttpEdge {
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** Without a byte from the client for this long, a request (head or body) or an idle connection ends. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** The request line and the headers together. */
    static final int MAX_HEAD_BYTES = 8 * 1024;
    /** How long a connection whose body was refused stays open after the answer, discarding what arrives. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private HttpEdge() {}

    /**
     * Serves HTTPS with {@code tls} on {@code bind:port} instead of plain HTTP: the one listener, with the same limits
     * (the connectors' idle timeout and linger are set in {@link #configure}); requests see the scheme {@code https}
     * (the console's CSRF check compares origins with it). SNI is not required to match the certificate: clients that
     * reach the server by an address send none.
     */
    static void https(JavalinConfig config, javax.net.ssl.SSLContext tls, String bind, int port) {
        config.jetty.addConnector((server, http) -> {
            var secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            var ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setSslContext(tls);
            var connector = new org.eclipse.jetty.server.ServerConnector(server,
                    new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                    new org.eclipse.jetty.server.HttpConnectionFactory(http));
            connector.setHost(bind);
            connector.setPort(port);
            return connector;
        });
    }

    static void configure(JavalinConfig config, ObjectMapper mapper) {
        config.http.maxRequestSize = MAX_BODY_BYTES;
        // what Javalin answers if an I/O failure reaches it past BodyLimit (its defaults are 500 for both)
        config.jetty.timeoutStatus = 408;
        config.jetty.clientAbortStatus = 400;
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_HEAD_BYTES);
            http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            // Jetty reuses header fields already seen on a connection, Authorization among them, matching them
            // ignoring case by default: a token differing only in case would read as the one sent before
            http.setHeaderCacheCaseSensitive(true);
        });
        config.jetty.modifyServletContextHandler(context -> {
            context.addFilter(new FilterHolder(new BodyLimit(MAX_BODY_BYTES, IDLE_TIMEOUT)), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.setMaxFormContentSize((int) MAX_BODY_BYTES);
        });
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new JettyErrors(mapper));
            // connectors are added after this runs and before the server starts: this reaches each of them
            var linger = new BodyLimit.Linger(LINGER);
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector c : server.getConnectors()) {
                        if (c instanceof AbstractConnector a) {
                            a.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                            a.addBean(linger);
                        }
                    }
                }
            });
        });
    }
}
