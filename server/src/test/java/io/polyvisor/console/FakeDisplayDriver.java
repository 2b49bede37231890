package io.polyvisor.console;

import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.GraphicalConsole;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.SerialConsole.ConsoleStream;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator under scheme {@code simvnc}, with a display that is no screen but a recorder: each open sends the RFB
 * greeting and keeps every byte the server writes to it ({@link #opened}), so a test sees exactly what reached the VM.
 */
final class FakeDisplayDriver implements DriverProvider {
    private final SimDriver sim = new SimDriver();
    /** Every display opened, in order. */
    final List<Screen> opened = new CopyOnWriteArrayList<>();

    /** One VNC client of the fake display: the bytes it was sent. */
    static final class Screen implements ConsoleStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CountDownLatch closed = new CountDownLatch(1);
        private boolean greeted;

        synchronized byte[] received() {
            return received.toByteArray();
        }

        @Override
        public int read(byte[] into) {
            synchronized (this) {
                if (!greeted) {
                    greeted = true;
                    byte[] hello = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(hello, 0, into, 0, hello.length);
                    return hello.length;
                }
            }
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public synchronized void write(byte[] input) {
            received.writeBytes(input);
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Override
    public String name() {
        return "simvnc";
    }

    @Override
    public List<String> schemes() {
        return List.of("simvnc");
    }

    @Override
    public Set<Capability> capabilities() {
        var caps = EnumSet.copyOf(sim.capabilities());
        caps.add(Capability.DISPLAY);
        return caps;
    }

    @Override
    public HostConnection connect(URI uri) {
        HostConnection c = sim.connect(URI.create(uri.toString().replaceFirst("^simvnc:", "sim:")));
        GraphicalConsole display = id -> {
            var screen = new Screen();
            opened.add(screen);
            return screen;
        };
        return (HostConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HostConnection.class}, (p, m, args) ->
                switch (m.getName()) {
                    case "graphicalConsole" -> display;
                    case "capabilities" -> capabilities();
                    case "driver" -> name();
                    case "uri" -> uri;
                    default -> {
                        try {
                            yield m.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }
}
