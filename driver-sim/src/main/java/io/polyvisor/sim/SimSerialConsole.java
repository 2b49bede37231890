package io.polyvisor.sim;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.SerialConsole;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's serial console: a terminal line that echoes what is typed, as a tty in cooked mode does (a
 * carriage return comes back as CR LF), after a one-line banner naming the VM. For tests of everything above the
 * driver: the server's fan-out, the WebSocket, the browser's terminal.
 */
final class SimSerialConsole implements SerialConsole {
    private static final byte[] END = new byte[0];
    private final SimConnection c;

    SimSerialConsole(SimConnection c) {
        this.c = c;
    }

    @Override
    public ConsoleStream open(UUID id) {
        String name = c.dc.locked(() -> {
            SimVm vm = c.host.vms.get(id);
            if (vm == null || !vm.live()) throw new DriverException("no running VM " + id + " on " + c.host.name);
            return vm.name;
        });
        var stream = new Echo();
        stream.output.add(("sim serial console of " + name + "\r\n").getBytes(StandardCharsets.UTF_8));
        return stream;
    }

    private static final class Echo implements ConsoleStream {
        final LinkedBlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
        private volatile boolean ended;

        @Override
        public int read(byte[] into) {
            try {
                byte[] next;
                do {
                    next = output.poll(1, TimeUnit.SECONDS);
                } while (next == null && !ended);
                if (next == null || next == END) return -1;
                int n = Math.min(next.length, into.length);
                System.arraycopy(next, 0, into, 0, n);
                if (n < next.length) output.add(java.util.Arrays.copyOfRange(next, n, next.length)); // single reader: order kept
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void write(byte[] input) {
            if (ended) throw new DriverException("the serial console has ended");
            var echo = new java.io.ByteArrayOutputStream(input.length + 8);
            for (byte b : input) {
                echo.write(b);
                if (b == '\r') echo.write('\n');
            }
            output.add(echo.toByteArray());
        }

        @Override
        public void close() {
            ended = true;
            output.add(END);
        }
    }
}
