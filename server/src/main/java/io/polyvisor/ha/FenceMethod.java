package io.polyvisor.ha;

/**
 * One way of making sure a host runs nothing any more. {@link #fence} returns normally only when that is
 * guaranteed; otherwise it throws {@link Failed} with a reason a user can read.
 */
interface FenceMethod {
    /** Short name recorded in events: {@code driver}, {@code fence_ipmilan}, ... */
    String name();

    void fence(String host) throws Failed;

    final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }
}
