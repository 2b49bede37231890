package io.polyvisor.api;

import io.javalin.websocket.WsConfig;

import java.util.function.Consumer;

/**
 * A WebSocket endpoint a feature serves. Its upgrade request passes the same authentication as every route (a bearer
 * token, or a session cookie); the handler reads the caller with {@link Caller#find(io.javalin.websocket.WsContext)} (empty: refused, being closed)
 * and must itself refuse other origins ({@link Csrf#sameOrigin}) and check permissions, as a WebSocket has no
 * method to judge by. The OpenAPI document lists it as a GET that answers 101 (Switching Protocols), with
 * {@code protocol} as its description: what each side sends and why the server closes it.
 */
public record Socket(String path, String summary, String protocol, Consumer<WsConfig> handler) {}
