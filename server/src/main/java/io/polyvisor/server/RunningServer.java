package io.polyvisor.server;

import io.polyvisor.api.ApiServer;
import io.polyvisor.store.Store;

import java.net.URI;
import java.nio.file.Path;

/**
 * A started control plane. {@link #close()} shuts it down gracefully (in-flight tasks may finish for up
 * to 10 s, then the store closes); {@link #halt()} stops it the way a killed process stops, for crash tests.
 */
public final class RunningServer implements AutoCloseable {
    private final URI url;
    private final String token;
    private final Path tokenFile;
    private final Path certificate;
    private final Store store;
    private final ApiServer api;
    private final Runnable graceful;
    private final Runnable abrupt;
    private boolean closed;

    RunningServer(URI url, String token, Path tokenFile, Path certificate, Store store, ApiServer api, Runnable graceful,
                  Runnable abrupt) {
        this.url = url;
        this.token = token;
        this.tokenFile = tokenFile;
        this.certificate = certificate;
        this.store = store;
        this.api = api;
        this.graceful = graceful;
        this.abrupt = abrupt;
    }

    /** The TLS certificate clients should trust (PEM), or null when serving plain HTTP. */
    public Path certificate() {
        return certificate;
    }

    /** {@code http://BIND:PORT} or {@code https://BIND:PORT}, with no trailing slash. */
    public URI url() {
        return url;
    }

    public int port() {
        return url.getPort();
    }

    /** The admin bearer token. */
    public String token() {
        return token;
    }

    /** Where the token is kept ({@code DATA/admin.token}). */
    public Path tokenFile() {
        return tokenFile;
    }

    public Store store() {
        return store;
    }

    /** The HTTP side (its route table and what Javalin registered). */
    public ApiServer api() {
        return api;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        graceful.run();
    }

    /** Stops everything at once without finishing or recording anything, like {@code kill -9} of the process. */
    public synchronized void halt() {
        if (closed) return;
        closed = true;
        abrupt.run();
    }
}
