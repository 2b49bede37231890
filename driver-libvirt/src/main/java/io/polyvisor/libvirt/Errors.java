package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** Turns libvirt's errors into the SPI's {@link DriverException}, deciding what is worth retrying. */
final class Errors {
    /** The connection or the daemon failed: the same call may work later (after a reconnect). */
    private static final Set<ErrorNumber> RETRYABLE = EnumSet.of(ErrorNumber.VIR_ERR_NO_CONNECT, ErrorNumber.VIR_ERR_INVALID_CONN,
            ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorNumber.VIR_ERR_RPC, ErrorNumber.VIR_ERR_OPERATION_TIMEOUT,
            ErrorNumber.VIR_ERR_AUTH_UNAVAILABLE, ErrorNumber.VIR_ERR_OPERATION_ABORTED);

    private Errors() {}

    static boolean isNoDomain(LibvirtException e) {
        return e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    static boolean is(LibvirtException e, ErrorNumber n) {
        return e.getError().getCode() == n;
    }

    static boolean isConnectionLost(LibvirtException e) {
        return RETRYABLE.contains(e.getError().getCode());
    }

    static DriverException of(String host, String what, LibvirtException e) {
        if (isConnectionLost(e)) return DriverException.unreachable(host, e);
        return new DriverException(what + " failed on " + host + ": " + e.getError().getMessage(), false, e);
    }

    static DriverException unknownVm(String host, UUID id) {
        return new DriverException("no VM " + id + " on " + host);
    }
}
