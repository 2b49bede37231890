package io.polyvisor.events;

import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends events to the store and wakes whoever streams them. Every state change a user can see is
 * recorded through here, so the event log is the audit trail.
 *
 * <p>Events written inside a store transaction (through {@link #record(Store, EventType, String, String)})
 * become visible at commit; the caller calls {@link #signal()} after the transaction so streams see them
 * at once (they would otherwise see them at their next poll).
 */
public final class Journal {
    private final Store store;
    private long version;

    public Journal(Store store) {
        this.store = store;
    }

    /** Appends an event in its own transaction and wakes streams. */
    public void record(EventType type, String subject, String message) {
        record(store, type, subject, message);
        signal();
    }

    /**
     * Appends through {@code tx} (a transaction's store view); call {@link #signal()} after commit. The event gets its
     * seq at commit, and the store logs it then.
     */
    public void record(Store tx, EventType type, String subject, String message) {
        tx.appendEvent(type.wireName(), subject, message);
    }

    /**
     * Records a {@link SharedEvent#VM_STATE} event of {@code vm} (as it is after the change) through {@code tx}, with its
     * state, host and state detail as the event's data, so a client can show the change without reading the VM.
     */
    public void vmState(Store tx, Vm vm, String message) {
        tx.appendEvent(SharedEvent.VM_STATE.wireName(), vm.name(), message, stateOf(vm));
    }

    /** As above, in a transaction of its own, and wakes streams. */
    public void vmState(Vm vm, String message) {
        vmState(store, vm, message);
        signal();
    }

    /** {@code state}, and {@code host} and {@code state_detail} where the VM has them. */
    static Map<String, String> stateOf(Vm vm) {
        var data = new LinkedHashMap<String, String>();
        data.put("state", vm.state().label());
        if (vm.host() != null) data.put("host", vm.host());
        if (vm.state().detail() != null) data.put("state_detail", vm.state().detail());
        return data;
    }

    public synchronized void signal() {
        version++;
        notifyAll();
    }

    /** The current signal version, to pass to {@link #awaitAfter}. */
    public synchronized long version() {
        return version;
    }

    /** Waits until a signal newer than {@code seen} or {@code millis} pass; returns the version now. */
    public synchronized long awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (version == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) break;
            wait(left);
        }
        return version;
    }
}
