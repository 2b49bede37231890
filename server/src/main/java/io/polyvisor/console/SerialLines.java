package io.polyvisor.console;

import io.javalin.websocket.WsContext;
import io.polyvisor.spi.SerialConsole.ConsoleStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One open serial console per VM, shared by every viewer of it: a platform thread reads the VM's output and sends each
 * chunk to every viewer (fan-out, so a new viewer never takes the console from another, as libvirt alone would), and
 * keeps the last {@link #SCROLLBACK} bytes so a viewer who joins sees the recent screen. The stream is opened with
 * the first viewer and closed when the last one leaves or the console ends (the viewers are then closed, 1000).
 */
final class SerialLines {
    static final int SCROLLBACK = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SerialLines.class);

    private final Map<UUID, Line> lines = new HashMap<>();

    /** Adds a viewer of VM {@code id}, opening its console with {@code open} if no one watches it yet. */
    synchronized Line join(UUID id, String name, WsContext viewer, Function<UUID, ConsoleStream> open) {
        Line line = lines.get(id);
        if (line == null) {
            line = new Line(id, open.apply(id));
            lines.put(id, line);
            Thread.ofPlatform().daemon().name("serial-" + name).start(line::pump);
        }
        line.add(viewer);
        return line;
    }

    /** Removes a viewer; the last one out closes the console. */
    synchronized void leave(UUID id, WsContext viewer) {
        Line line = lines.get(id);
        if (line != null && line.remove(viewer)) {
            lines.remove(id);
            line.stream.close();
        }
    }

    synchronized int viewers(UUID id) {
        Line line = lines.get(id);
        return line == null ? 0 : line.viewers.size();
    }

    private synchronized void ended(Line line) {
        lines.remove(line.id, line);
    }

    final class Line {
        final UUID id;
        final ConsoleStream stream;
        private final Set<WsContext> viewers = new LinkedHashSet<>();
        private final byte[] scrollback = new byte[SCROLLBACK];
        private int kept;

        Line(UUID id, ConsoleStream stream) {
            this.id = id;
            this.stream = stream;
        }

        /** Sends input to the VM. */
        void type(byte[] input) {
            stream.write(input);
        }

        private void add(WsContext viewer) {
            byte[] screen;
            synchronized (this) {
                viewers.add(viewer);
                screen = java.util.Arrays.copyOf(scrollback, kept);
            }
            if (screen.length > 0) viewer.send(ByteBuffer.wrap(screen));
        }

        /** True when it was the last viewer. */
        private synchronized boolean remove(WsContext viewer) {
            viewers.remove(viewer);
            return viewers.isEmpty();
        }

        private void pump() {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    byte[] chunk = java.util.Arrays.copyOf(buffer, n);
                    WsContext[] to;
                    synchronized (this) {
                        keep(chunk);
                        to = viewers.toArray(WsContext[]::new);
                    }
                    for (WsContext v : to) {
                        try {
                            v.send(ByteBuffer.wrap(chunk));
                        } catch (RuntimeException gone) {
                            leave(id, v); // a viewer that cannot be written to has gone; the others go on
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.info("serial console of {} ended: {}", id, e.getMessage());
            }
            ended(this);
            WsContext[] to;
            synchronized (this) {
                to = viewers.toArray(WsContext[]::new);
                viewers.clear();
            }
            for (WsContext v : to) {
                try {
                    v.closeSession(1000, "the serial console ended");
                } catch (RuntimeException ignored) {
                    // already closed by the browser
                }
            }
        }

        private void keep(byte[] chunk) {
            if (chunk.length >= SCROLLBACK) {
                System.arraycopy(chunk, chunk.length - SCROLLBACK, scrollback, 0, SCROLLBACK);
                kept = SCROLLBACK;
                return;
            }
            int overflow = kept + chunk.length - SCROLLBACK;
            if (overflow > 0) {
                System.arraycopy(scrollback, overflow, scrollback, 0, kept - overflow);
                kept -= overflow;
            }
            System.arraycopy(chunk, 0, scrollback, kept, chunk.length);
            kept += chunk.length;
        }
    }
}
