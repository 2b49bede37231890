package io.polyvisor.server;

import io.polyvisor.cli.*;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DriverProvider;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.DriverRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DriversCommandTest {
    private record Fake(String name, List<String> schemes, Set<Capability> capabilities) implements DriverProvider {
        @Override
        public HostConnection connect(URI uri) {
            throw new UnsupportedOperationException("not needed to print the matrix");
        }
    }

    @Test
    void matrixHasOneColumnPerCapabilityGroupAndMarksWhatEachDriverOffers() {
        var providers = List.<DriverProvider>of(
                new Fake("full", List.of("full"), EnumSet.allOf(Capability.class)),
                new Fake("tiny", List.of("tiny", "tiny+ssh"), EnumSet.of(Capability.COMPUTE, Capability.MIGRATION)));
        assertThat(DriversCommand.table(providers).render()).isEqualTo("""
                DRIVER  COMPUTE  STATS  EVENTS  MIGRATION  FENCING  GUEST-ACCESS  STORAGE  NETWORKING  CONSOLE  DISPLAY  SCHEMES
                full    yes      yes    yes     yes        yes      yes           yes      yes         yes      yes      full
                tiny    yes      -      -       yes        -        -             -        -           -        -        tiny,tiny+ssh
                """);
        assertThat(DriversCommand.json(providers).toString()).isEqualTo(
                "[{\"name\":\"full\",\"schemes\":[\"full\"],\"capabilities\":[\"compute\",\"stats\",\"events\",\"migration\",\"fencing\",\"guest-access\",\"storage\",\"networking\",\"console\",\"display\"]},"
                        + "{\"name\":\"tiny\",\"schemes\":[\"tiny\",\"tiny+ssh\"],\"capabilities\":[\"compute\",\"migration\"]}]");
    }

    @Test
    void commandListsEveryDriverOnTheClassPath() {
        var r = CliRun.of("drivers");
        assertThat(r.exit()).isZero();
        for (var p : DriverRegistry.load().providers()) assertThat(r.out()).containsPattern("(?m)^" + p.name() + " ");
        assertThat(r.out().lines().count()).isEqualTo(1 + DriverRegistry.load().providers().size());
    }
}
