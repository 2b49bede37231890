package io.polyvisor.bench.autoscale;

/** One policy over one scenario. */
record ScenarioResult(String scenario, long violationS, double vmHours, double warmHours, long scalingActions, long flaps,
                      long coldStarts, long warmStarts, int maxMembers) {}
