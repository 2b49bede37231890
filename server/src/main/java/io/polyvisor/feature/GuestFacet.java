package io.polyvisor.feature;

import io.polyvisor.model.Vm;

import java.util.Map;

/**
 * What a feature hands a VM's guest when an instance of the VM is defined on a host (create, and a restart on a host
 * that does not hold it), through the driver's guest data channel ({@link io.polyvisor.spi.GuestData}): coordination
 * credentials, for example. An instance keeps what it was defined with through reboots, stops and live migrations.
 *
 * <p>Contract: {@link #appliesTo} is cheap and pure; {@link #entries} is called only when a new instance is about to be
 * defined, by the task executor, and may commit effects first (minting a credential that replaces the last one): the
 * instance then reads exactly those entries. Entry names are unique across features.
 */
public interface GuestFacet {
    boolean appliesTo(Vm vm);

    Map<String, String> entries(Vm vm);
}
