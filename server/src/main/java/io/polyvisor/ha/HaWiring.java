package io.polyvisor.ha;

import io.polyvisor.placement.Placer;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskQueue;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the {@link HaController} is built from: assembled by {@link HaFeature} from what the server's composition root
 * passes it, or by a test (simulated hosts, virtual time, fences run inline).
 *
 * @param tasks          where HA queues what the task executor must do (restarts, standby builds and removals)
 * @param clockMillis    a monotonic clock in milliseconds (the server's {@code System.nanoTime()/1e6}; a virtual one in tests)
 * @param fenceExecutor  runs host fences (a thread pool in the server; direct in deterministic tests)
 * @param primaryChanged told the service name when a standby became primary (moves the service endpoint)
 */
public record HaWiring(Store store, HostAccess hosts, EventSink events, Placer placer, VmLocks locks,
                       TaskQueue tasks, LongSupplier clockMillis, Executor fenceExecutor,
                       Consumer<String> primaryChanged, DetectorSettings detector) {}
