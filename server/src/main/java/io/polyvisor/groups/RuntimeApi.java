package io.polyvisor.groups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's runtime API over its admin unix socket: one command per connection (HAProxy answers and closes).
 * Membership changes go through here and never through a reload.
 */
final class RuntimeApi {
    private final Path socket;

    RuntimeApi(Path socket) {
        this.socket = socket;
    }

    /** Sends {@code command} and returns HAProxy's answer, trimmed. I/O failures are {@link UncheckedIOException}s. */
    String command(String command) {
        if (command.contains("\n") || command.contains(";")) throw new IllegalArgumentException("one command only: " + command);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            var out = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy runtime API at " + socket + ": " + command + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command whose success is an empty answer or one of {@code ok}; anything else is an error. */
    void expect(String command, String... ok) {
        String answer = command(command);
        if (answer.isEmpty()) return;
        for (String o : ok) if (answer.startsWith(o)) return;
        throw new IllegalStateException("HAProxy refused '" + command + "': " + answer);
    }

    /** {@code show stat}: one map per proxy row (frontend, backend, each server), keyed by the CSV header's names. */
    List<Map<String, String>> stat() {
        String text = command("show stat");
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) throw new IllegalStateException("unexpected show stat answer: " + text);
        String[] header = lines[0].substring(2).split(",", -1);
        var rows = new ArrayList<Map<String, String>>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] cells = lines[i].split(",", -1);
            var row = new LinkedHashMap<String, String>();
            for (int c = 0; c < header.length && c < cells.length; c++) row.put(header[c], cells[c]);
            rows.add(row);
        }
        return rows;
    }
}
