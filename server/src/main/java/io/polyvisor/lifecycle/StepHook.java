package io.polyvisor.lifecycle;

import io.polyvisor.model.Task;

/**
 * Called by the lifecycle controller after each driver step of a task has been applied and recorded.
 * Production uses {@link #NONE}; fault-injection tests throw {@link Crash} from it to stop the
 * controller dead between steps, as a killed process would.
 */
@FunctionalInterface
public interface StepHook {
    StepHook NONE = (task, step) -> {};

    void after(Task task, String step);

    /** Simulates the process dying: the controller records nothing more about the task. */
    final class Crash extends Error {
        public Crash(String where) {
            super("simulated crash " + where, null, false, false);
        }
    }
}
