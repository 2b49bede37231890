package io.polyvisor.ha;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A loopback TCP forwarder owned by Polyvisor: a service endpoint. Listens on {@code 127.0.0.1:port} and
 * connects every accepted client to whatever {@code target} says at that moment, then copies bytes both
 * ways (NIO channels, two virtual threads per connection). {@link #retarget()} cuts the connections to the
 * old target, so clients reconnect straight to the new one: switching costs no more than the next connect.
 * A client accepted while the target is unknown or refuses is closed at once.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Supplier<InetSocketAddress> target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /** @param port 0 for any free port */
    TcpProxy(int port, Supplier<InetSocketAddress> target) throws IOException {
        this.target = target;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.acceptor = Thread.ofVirtual().name("service-endpoint-" + port()).start(this::accept);
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** Closes every relayed connection; new clients go to the target as it is now. */
    void retarget() {
        for (SocketChannel c : open) closeQuietly(c);
        open.clear();
    }

    private void accept() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(SocketChannel client) {
        InetSocketAddress to = target.get();
        SocketChannel upstream;
        try {
            if (to == null) throw new IOException("no target");
            upstream = SocketChannel.open(to);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
        pump(client, upstream);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.remove(client);
        open.remove(upstream);
        closeQuietly(client);
        closeQuietly(upstream);
    }

    /** Copies until either side ends; then half-closes the destination so the other direction can finish. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        retarget();
        acceptor.interrupt();
    }
}
