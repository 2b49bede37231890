package io.polyvisor.coord;

/**
 * Where a guest's {@code POST /v1/metrics} goes: the elastic group of the same name, which refuses (404/409 as a
 * {@link io.polyvisor.model.Refusal}) a group it does not have, a metric it does not track, or a VM not its member.
 */
@FunctionalInterface
public interface MetricSink {
    void push(String group, String member, String metric, double value);
}
