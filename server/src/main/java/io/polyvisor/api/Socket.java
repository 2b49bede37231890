package io.polyvisor.api;

import io.javalin.websocket.WsConfig;

import java.util.function.Consumer;

/**
 * A WebSocket endpoint a feature serves. Its upgrade request passes the same authentication as every route (a bearer
 * token, or a session cookie); the handler reads the caller with {@link Caller#find(io.javalin.websocket.WsContext)} (empty: refused, being closed)
 * and must itself refuse other origins ({@link Csrf#sameOrigin}) and check permissions, as a WebSocket has no
 * method to judge by.
 */
public record Socket(String path, String summary, Consumer<WsConfig> handler) {}
