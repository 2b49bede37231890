package io.polyvisor.libvirt;

import org.libvirt.LibvirtException;

/** A call into libvirt-java, which throws its checked exception. */
@FunctionalInterface
interface LibvirtCall<T> {
    T call() throws LibvirtException;
}
