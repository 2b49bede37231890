package io.polyvisor.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** A server's name and its data folder's instance id ({@code DATA/server-instance}, made once). */
public final class ServerIdentity {
    static final String FILE = "server-instance";

    private ServerIdentity() {}

    /** The data folder's instance id: a server restarted on the same folder is the same server coming back. */
    public static String instance(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        try {
            if (Files.exists(f)) return UUID.fromString(Files.readString(f, StandardCharsets.UTF_8).trim()).toString();
            String id = UUID.randomUUID().toString();
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + f, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(f + " does not hold a UUID; remove it to make a new one", e);
        }
    }

    /** {@code given}, or this machine's host name made a valid server name, or {@code polyvisor}. */
    public static String name(String given) {
        if (given != null) return given;
        try {
            String h = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            if (h.length() > 63) h = h.substring(0, 63);
            return h.matches("[A-Za-z0-9][A-Za-z0-9._-]*") ? h : "polyvisor";
        } catch (IOException e) {
            return "polyvisor";
        }
    }
}
