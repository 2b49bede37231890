package io.polyvisor.ha;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.HostHealth;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operation sequences on a real server with simulated hosts (creates of standby-protected VMs, manual
 * migrations, maintenance on and off, host crashes and recoveries, balancing, guest crashes that HA restarts or
 * fails over): after every step, and every 100 ms while it settles, no primary shares a host with its standby, in
 * Polyvisor's records (hosts and migration targets) nor on the simulated hosts (where each instance really runs).
 * Every request is answered 2xx or a 4xx problem+json, never a 5xx.
 */
class StandbyApartProperties {
    /** {@code migrate} goes to another host than the VM's; {@code migrate-to-partner} asks for its partner's host (issue 9). */
    static final List<String> KINDS = List.of("create", "migrate", "migrate-to-partner", "maintenance-on", "maintenance-on", "maintenance-off",
            "crash", "recover", "balance", "guest-crash");
    static final String[] HOSTS = {"h1", "h2", "h3", "h4"};
    static final AtomicInteger RUN = new AtomicInteger();

    /** One operation; {@code vm} and {@code host} pick among the VMs and hosts there are when it runs (modulo their count). */
    record Op(String kind, int vm, int host) {
        @Override
        public String toString() {
            return kind + "(" + vm + "," + host + ")";
        }
    }

    static final Gen<List<Op>> SEQUENCES = Gen.zip(Gen.elements(KINDS), Gen.ints(0, 99), Gen.ints(0, 3), Op::new).list(2, 12);

    @BeforeAll
    static void fastBalancer() {
        System.setProperty("polyvisor.balance.interval-seconds", "0.3"); // maintenance evacuation within a second
    }

    @AfterAll
    static void defaultBalancer() {
        System.clearProperty("polyvisor.balance.interval-seconds");
    }

    @Test
    void aPrimaryAndItsStandbyNeverShareAHost() {
        // each case starts a server and waits on real (sim) failovers, so few tries and a small shrinking budget
        Property.forAll(SEQUENCES).tries(8).maxSize(12).shrinkLimit(6).check(ops -> {
            try (var run = new Run()) {
                run.create();
                run.create();
                run.settle("setup", Duration.ofSeconds(3));
                for (Op op : ops) {
                    String did = run.apply(op);
                    run.log.add(did);
                    run.settle(did, did.startsWith("crash") || did.startsWith("guest-crash") ? Duration.ofSeconds(3) : Duration.ofMillis(800));
                }
                System.out.println("standby-apart case: " + run.log);
            }
        });
    }

    /** One case: a fresh server and data centre of four hosts. */
    static final class Run implements AutoCloseable {
        final TestServer s;
        final String dc = TestServer.uniqueDatacenter();
        final SimDatacenter sim;
        final List<String> log = new ArrayList<>();
        int created;

        Run() throws Exception {
            s = TestServer.start(Files.createTempDirectory("apart"), 0);
            for (String h : HOSTS) {
                var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=4G\",\"name\":\"" + h + "\"}");
                assertThat(r.status()).as(r.text()).isEqualTo(201);
            }
            sim = SimDatacenter.named(dc);
        }

        String create() {
            String name = "p" + RUN.incrementAndGet();
            answered("create " + name, s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"128M\",\"protection\":\"standby\"}"));
            created++;
            return "create " + name;
        }

        String apply(Op op) {
            String host = HOSTS[op.host()];
            var live = s.server.store().vms().stream().filter(v -> !(v.state() instanceof VmState.Deleted)).toList();
            Vm vm = live.isEmpty() ? null : live.get(op.vm() % live.size());
            Set<String> up = new HashSet<>();
            for (String h : HOSTS) if (sim.health(h) == HostHealth.UP) up.add(h);
            return switch (op.kind()) {
                case "create" -> create();
                case "migrate", "migrate-to-partner" -> {
                    if (vm == null) yield "migrate: no VM";
                    if (op.kind().equals("migrate")) {
                        var others = java.util.Arrays.stream(HOSTS).filter(h -> !h.equals(vm.host())).toList();
                        host = others.get(op.host() % others.size());
                    } else {
                        Vm partner = partner(vm, live);
                        if (partner == null || partner.host() == null) yield "migrate-to-partner: " + vm.name() + " has none";
                        host = partner.host();
                    }
                    var r = s.post("/api/v1/vms/" + vm.id() + "/migrate", "{\"to\":\"" + host + "\"}");
                    answered("migrate", r);
                    yield "migrate " + vm.name() + " to " + host + ": " + r.status();
                }
                case "maintenance-on", "maintenance-off" -> {
                    boolean on = op.kind().endsWith("on");
                    var r = s.post("/api/v1/hosts/" + host + "/maintenance", "{\"enabled\":" + on + "}");
                    answered(op.kind(), r);
                    yield op.kind() + " " + host + ": " + r.status();
                }
                case "crash" -> {
                    if (up.size() <= 2 || !up.contains(host)) yield "crash " + host + ": skipped, keeps two hosts up";
                    sim.crashHost(host);
                    yield "crash " + host;
                }
                case "recover" -> {
                    sim.recover(host);
                    yield "recover " + host;
                }
                case "balance" -> {
                    answered("balance", s.post("/api/v1/plans/balance/apply", ""));
                    yield "balance";
                }
                case "guest-crash" -> {
                    if (vm == null || sim.runningOn(vm.id()).isEmpty()) yield "guest-crash: nothing runs";
                    sim.vmCrash(vm.id());
                    yield "guest-crash " + vm.name();
                }
                default -> throw new IllegalArgumentException(op.kind());
            };
        }

        /** The other instance of {@code vm}'s standby pair among {@code live}, or null. */
        static Vm partner(Vm vm, List<Vm> live) {
            for (Vm v : live) {
                if (HaLabels.standbyOf(vm).map(v.id()::equals).orElse(false) || HaLabels.standbyOf(v).map(vm.id()::equals).orElse(false)) return v;
            }
            return null;
        }

        /** A request is answered with success or a problem+json refusal, never a server error. */
        void answered(String what, TestServer.Response r) {
            assertThat(r.status()).as(log + " " + what + ": " + r.text()).isLessThan(500);
            if (r.status() >= 400) assertThat(r.contentType()).as(what).startsWith("application/problem+json");
        }

        /** Checks the invariant every 100 ms for {@code d}. */
        void settle(String step, Duration d) {
            long end = System.nanoTime() + d.toNanos();
            do {
                apart(step);
                sleep(100);
            } while (System.nanoTime() < end);
            apart(step);
        }

        void apart(String step) {
            var vms = s.server.store().vms().stream().filter(v -> !(v.state() instanceof VmState.Deleted)).toList();
            Map<UUID, Vm> byId = new HashMap<>();
            vms.forEach(v -> byId.put(v.id(), v));
            for (Vm standby : vms) {
                var primaryId = HaLabels.standbyOf(standby);
                if (primaryId.isEmpty() || !byId.containsKey(primaryId.get())) continue;
                Vm primary = byId.get(primaryId.get());
                Set<String> p = places(primary), sb = places(standby);
                p.retainAll(sb);
                assertThat(p).as("after %s (steps %s): %s at %s and its standby %s at %s share a host in Polyvisor's records", step, log,
                        primary.name(), places(primary), standby.name(), places(standby)).isEmpty();
                var running = new HashSet<>(sim.runningOn(primary.id()));
                running.retainAll(sim.runningOn(standby.id()));
                assertThat(running).as("after %s (steps %s): %s and its standby %s both run on the same simulated host", step, log,
                        primary.name(), standby.name()).isEmpty();
            }
        }

        /** The hosts a VM row holds: its host and, while it migrates, the destination. */
        static Set<String> places(Vm v) {
            Set<String> out = new HashSet<>();
            if (v.host() != null) out.add(v.host());
            if (v.state() instanceof VmState.Migrating m) out.add(m.to());
            return out;
        }

        static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            s.close();
        }
    }
}
