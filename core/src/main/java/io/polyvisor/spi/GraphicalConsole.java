package io.polyvisor.spi;

import java.util.UUID;

/**
 * Optional capability: a running VM's graphical display as a raw RFB (VNC) byte stream, for a VM created with display
 * {@code vnc}. The stream starts at the RFB handshake (the server's {@code RFB 003.008} greeting); each open is its own
 * VNC client of the VM's display (several may be open at once, as the VNC server's shared mode allows).
 */
public interface GraphicalConsole {
    /**
     * Opens a new VNC client connection to the display of a VM running on this host. The stream's {@link
     * SerialConsole.ConsoleStream} contract holds (one reader; write and close from any thread).
     *
     * @throws DriverException (not retryable) if this host does not run the VM or the VM has no display
     */
    SerialConsole.ConsoleStream open(UUID id);
}
