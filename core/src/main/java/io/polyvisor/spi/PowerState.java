package io.polyvisor.spi;

/** A domain's power state as a hypervisor reports it. */
public enum PowerState { RUNNING, PAUSED, SHUTOFF, CRASHED }
