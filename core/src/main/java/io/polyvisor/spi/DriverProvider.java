package io.polyvisor.spi;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A hypervisor driver, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.polyvisor.spi.DriverProvider}). The URI scheme picks the driver.
 */
public interface DriverProvider {
    /** Short name: {@code sim}, {@code libvirt}. */
    String name();

    /** URI schemes this driver takes, e.g. {@code qemu}, {@code qemu+ssh}, {@code xen}. */
    List<String> schemes();

    /** The capabilities a connection of this driver offers at best (a given host may offer fewer). */
    Set<Capability> capabilities();

    /**
     * Opens a connection.
     *
     * @throws DriverException if the host cannot be reached or the URI is malformed for this driver
     */
    HostConnection connect(URI uri);
}
