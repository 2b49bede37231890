package io.polyvisor.feature;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.drivers.Connections;
import io.polyvisor.drivers.HostProber;
import io.polyvisor.drivers.UsageView;
import io.polyvisor.events.Journal;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskQueue;

import java.time.Clock;

/**
 * What every feature may use: the store, the event journal, the one task queue (the only way to have the executor
 * act on a VM), the one connection pool to the hypervisors, the one liveness probe of every host, the usage the
 * drivers measure, the API's JSON mapper and the clock. Features reach each other only through what the composition
 * root passes them explicitly, never through this.
 */
public record Platform(Store store, Journal journal, TaskQueue tasks, Connections conns, HostProber prober, UsageView usage,
                       ObjectMapper mapper, Clock clock) {}
