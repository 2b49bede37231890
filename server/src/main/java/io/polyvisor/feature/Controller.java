package io.polyvisor.feature;

/**
 * A control loop a {@link Feature} runs in the server: observe, decide, act. {@code start} is called once;
 * {@code close} stops it gracefully (in-flight work finishes or is left to resume), {@code halt} as a crash
 * would (nothing more is written), for crash tests. Both must be idempotent and may be called without start.
 */
public interface Controller extends AutoCloseable {
    void start();

    @Override
    void close();

    /** Stops at once, as {@code kill -9} would; by default the same as {@link #close()}. */
    default void halt() {
        close();
    }

    /** A loop running {@code work} at start and then every {@code interval} on its own daemon thread ({@link Periodic}). */
    static Controller every(String name, java.time.Duration interval, Runnable work) {
        return new Periodic(name, interval, work);
    }

    /** A controller from two method references, for classes that already have start and close. */
    static Controller of(Runnable start, Runnable close) {
        return new Controller() {
            @Override
            public void start() {
                start.run();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
