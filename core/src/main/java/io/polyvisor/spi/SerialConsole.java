package io.polyvisor.spi;

import java.util.UUID;

/** Optional capability: a running VM's first serial port as a byte stream (what a terminal reads and types). */
public interface SerialConsole {
    /**
     * Opens the serial console of a VM running on this host. A driver may allow only one open stream per VM (libvirt
     * takes a console over from an earlier holder): callers share one stream among their viewers.
     *
     * @throws DriverException (not retryable) if this host does not run the VM
     */
    ConsoleStream open(UUID id);

    /** An open console. {@link #read} is called by one thread; {@link #write} and {@link #close} by any. */
    interface ConsoleStream extends AutoCloseable {
        /** Blocks until some output of the VM is read into {@code into}: the count, or -1 once the console has ended. */
        int read(byte[] into);

        /** Sends input to the VM (as typed or pasted); throws {@link DriverException} if the console has ended. */
        void write(byte[] input);

        /** Ends the stream; a blocked {@link #read} then returns -1. Idempotent. */
        @Override
        void close();
    }
}
