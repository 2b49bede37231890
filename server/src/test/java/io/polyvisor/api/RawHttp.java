package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 over a plain loopback socket, for tests that must control the bytes a client library would hide:
 * chunked and truncated bodies, bad percent-encoding, oversized request lines and headers. It writes exactly what
 * it is given and reads one response (body by Content-Length, chunked, or up to the close), past any interim 1xx.
 */
final class RawHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A connection to 127.0.0.1:{@code port}; reads give up after {@code readTimeoutMs}. */
    static RawHttp connect(int port, int readTimeoutMs) {
        try {
            var s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setSoTimeout(readTimeoutMs);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request}, encoded as UTF-8, on a new connection and reads the answer. */
    static Response exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.UTF_8));
    }

    static Response exchange(int port, byte[] request) {
        try (var c = connect(port, 20_000)) {
            c.send(request);
            return c.read();
        }
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the sending side only, as a client that has nothing more to send and waits for the answer. */
    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    OutputStream output() {
        return out;
    }

    /** Whether the server closed its side: a read sees the end of the stream (or a reset). */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Reads one response. */
    Response read() {
        try {
            int status;
            Map<String, List<String>> headers;
            do { // an interim answer (100 Continue) comes before the final one
                String statusLine = line();
                if (statusLine == null) throw new IOException("the server closed the connection without an answer");
                String[] parts = statusLine.split(" ", 3);
                status = Integer.parseInt(parts[1]);
                headers = new LinkedHashMap<>();
                for (String h; (h = line()) != null && !h.isEmpty(); ) {
                    int colon = h.indexOf(':');
                    headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(h.substring(colon + 1).trim());
                }
            } while (status >= 100 && status < 200 && status != 101);
            byte[] body;
            String length = first(headers, "content-length");
            if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
                var b = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                    b.write(in.readNBytes(size));
                    line();
                }
                line();
                body = b.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() throws IOException {
        var b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null ? null : v.get(0);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param headers by lower-case name */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        /** The body decoded as UTF-8, strictly: malformed bytes fail. */
        String text() {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new AssertionError("the body is not UTF-8: " + new String(body, StandardCharsets.ISO_8859_1), e);
            }
        }

        JsonNode json() {
            try {
                return JSON.readTree(text());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String detail() {
            return json().path("detail").asText();
        }

        /**
         * Asserts this is a problem (RFC 9457) with {@code status}: {@code application/problem+json;charset=utf-8},
         * a body that decodes strictly as UTF-8 JSON with the same status, never a page or a stack trace. Returns
         * its detail.
         */
        String problem(int status) {
            assertThat(status()).as("status of %s", this).isEqualTo(status);
            assertThat(header("Content-Type")).as("media type of %s", this).matches("(?i)application/problem\\+json; ?charset=utf-8");
            JsonNode p = json();
            assertThat(p.path("status").asInt()).isEqualTo(status);
            assertThat(p.path("type").asText()).startsWith("/problems/");
            assertThat(p.path("title").asText()).isNotBlank();
            assertThat(text()).doesNotContain("<html").doesNotContain("<h1").doesNotContain("Exception").doesNotContain("\tat ");
            return p.path("detail").asText();
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + new String(body, StandardCharsets.UTF_8);
        }
    }
}
