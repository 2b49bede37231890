package io.polyvisor.groups;

import io.polyvisor.api.Nullable;

/**
 * A member as {@code group show} gives it.
 *
 * @param state       starting | ready | draining | failed (the policy's view)
 * @param vmState     the VM's observed state
 * @param inRotation  whether HAProxy sends it requests now
 * @param address     its forwarded service port, 127.0.0.1:PORT, once it has one
 */
public record MemberView(String name, @Nullable String host, String state, String vmState, boolean inRotation,
                         @Nullable String address) {}
