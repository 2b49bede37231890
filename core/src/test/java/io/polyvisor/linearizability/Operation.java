package io.polyvisor.linearizability;

/**
 * One operation of a recorded history: what a client asked ({@code input}), what it was told ({@code output}), and
 * when, on one clock for the whole history (such as {@link System#nanoTime()}): {@code call} before the request was
 * sent, {@code ret} after the answer arrived. An operation whose outcome the client never learned (a timeout, a
 * dropped connection) has {@code ret} = {@link #NEVER} and an output the model reads as "unknown": it may have taken
 * effect at any point after its call, or never.
 */
public record Operation<I, O>(int client, I input, long call, O output, long ret) {
    public static final long NEVER = Long.MAX_VALUE;

    public Operation {
        if (ret < call) throw new IllegalArgumentException("an operation returns after its call: call " + call + ", ret " + ret);
    }

    @Override
    public String toString() {
        return "client " + client + " [" + call + ", " + (ret == NEVER ? "never" : Long.toString(ret)) + "] " + input + " -> " + output;
    }
}
