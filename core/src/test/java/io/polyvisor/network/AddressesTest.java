package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Refusal;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address management and the network rules it rests on. */
class AddressesTest {
    static Network net(String cidr) {
        return new Network("app", Cidr.parse(cidr), null, false, 7);
    }

    static Ipv4 ip(String s) {
        return Ipv4.parse("ip", s);
    }

    @Test
    void cidrsParseContainAndOverlapExactly() {
        var c = Cidr.parse("10.1.0.0/24");
        assertThat(c.firstHost()).isEqualTo(ip("10.1.0.1"));
        assertThat(c.broadcast()).isEqualTo(ip("10.1.0.255"));
        assertThat(c.contains(ip("10.1.0.77"))).isTrue();
        assertThat(c.contains(ip("10.1.1.0"))).isFalse();
        assertThat(c.overlaps(Cidr.parse("10.0.0.0/8"))).isTrue();
        assertThat(c.overlaps(Cidr.parse("10.1.0.128/25"))).isTrue();
        assertThat(c.overlaps(Cidr.parse("10.1.1.0/24"))).isFalse();
        assertThat(Cidr.parse("192.168.255.248/29").broadcast()).isEqualTo(ip("192.168.255.255"));
        assertThatThrownBy(() -> Cidr.parse("10.1.0.0/33")).hasMessage("cidr prefix must be between /8 and /29, got /33");
        assertThatThrownBy(() -> Cidr.parse("10.1.0.0/x")).hasMessage("cidr must be an IPv4 network such as 10.0.0.0/24, got '10.1.0.0/x'");
        assertThatThrownBy(() -> Cidr.parse("010.1.0.0/16")).hasMessage("cidr address must be an IPv4 address such as 10.0.0.5, got '010.1.0.0'");
        assertThatThrownBy(() -> Ipv4.parse("ip", "1.2.3.4\n")).isInstanceOf(InvalidInput.class);
    }

    @Test
    void namesMustBeInterfaceSafe() {
        for (String bad : new String[] {"", "1app", "App", "app_1", "app.1", "a b", "abcdefghijklmnop", "app;rm", "user"}) {
            assertThatThrownBy(() -> Network.requireName(bad)).as(bad).isInstanceOf(InvalidInput.class);
        }
        assertThat(Network.requireName("a-very-long-nam")).hasSize(15);
        assertThat(new Network("app", Cidr.parse("10.0.0.0/24"), null, false, 16_777_215).bridge()).isEqualTo("pvbr16777215");
        assertThat(Network.vxlan(16_777_215)).hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void picksTheLowestFreeGuestAddressOrRefusesWithTheReason() {
        var n = net("10.1.0.0/29"); // .1 gateway, .2-.6 guests, .7 broadcast
        assertThat(Addresses.pick(n, Set.of(), null)).isEqualTo(ip("10.1.0.2"));
        assertThat(Addresses.pick(n, Set.of(ip("10.1.0.2"), ip("10.1.0.3")), null)).isEqualTo(ip("10.1.0.4"));
        var full = Set.of(ip("10.1.0.2"), ip("10.1.0.3"), ip("10.1.0.4"), ip("10.1.0.5"), ip("10.1.0.6"));
        assertThatThrownBy(() -> Addresses.pick(n, full, null)).isInstanceOf(Refusal.class)
                .hasMessage("network app (10.1.0.0/29) has no free address");
        assertThatThrownBy(() -> Addresses.pick(n, Set.of(ip("10.1.0.5")), ip("10.1.0.5"))).isInstanceOf(Refusal.class)
                .hasMessage("address 10.1.0.5 on network app is taken");
        assertThatThrownBy(() -> Addresses.pick(n, Set.of(), ip("10.1.0.7"))).hasMessage("address 10.1.0.7 is the broadcast address of network app (10.1.0.0/29)");
        assertThatThrownBy(() -> Addresses.pick(n, Set.of(), ip("10.1.0.8"))).hasMessage("address 10.1.0.8 is outside network app (10.1.0.0/29)");
        assertThat(MacAddress.generate(new Random(1))).matches("52:54:00(:[0-9a-f]{2}){3}");
        assertThatThrownBy(() -> MacAddress.require("52:54:00:AA:bb:cc")).isInstanceOf(InvalidInput.class);
    }

    /** Whatever is taken, a picked address is a free guest address of the network, and one is found while any is free. */
    @Test
    void aPickedAddressIsAlwaysAFreeGuestAddress() {
        Gen<long[]> worlds = Gen.zip(Gen.ints(22, 29), Gen.ints(0, 100), Gen.seeds(), (prefix, fill, seed) -> new long[] {prefix, fill, seed});
        Property.forAll(worlds).tries(300).check(w -> {
            int prefix = (int) w[0];
            var n = new Network("app", new Cidr(ip("172.16.0.0"), prefix), null, false, 1);
            var rnd = new Random(w[2]);
            Set<Ipv4> taken = new HashSet<>();
            long guests = n.cidr().size() - 3;
            for (long i = 0; i < guests * w[1] / 100; i++) taken.add(n.cidr().base().plus(2 + rnd.nextLong(guests)));
            if (taken.size() == guests) {
                assertThatThrownBy(() -> Addresses.pick(n, taken, null)).isInstanceOf(Refusal.class);
                return;
            }
            Ipv4 got = Addresses.pick(n, taken, null);
            assertThat(taken).doesNotContain(got);
            Addresses.requireGuestAddress(n, got);
        });
    }
}
