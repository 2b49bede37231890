package io.polyvisor.coord;

import io.polyvisor.feature.GuestFacet;
import io.polyvisor.model.Vm;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hands every group member's new instance its coordination credentials through the driver's guest data channel:
 * {@code coord-url}, where the guest API answers as seen from inside the guest, and {@code coord-token}, a token
 * minted for this instance (it replaces the VM's last one, so an instance left behind on a fenced host loses access
 * the moment its replacement is defined). The tiny guest's {@code pvctl} reads both.
 *
 * <p>The URL: when the API listens on loopback (or on every address), {@code http://10.0.2.2:PORT}, the address at which QEMU's user-mode
 * network reaches the hypervisor host's loopback (so it holds when the server runs on the VM's host: one machine, the
 * test fleet); otherwise the API's own address. The scheme is the API's: with {@code --tls} it is https, which the tiny
 * guest's {@code pvctl} (busybox nc) cannot speak.
 */
final class CoordGuestData implements GuestFacet {
    static final String URL = "coord-url";
    static final String TOKEN = "coord-token";
    static final String USER_NET_HOST = "10.0.2.2";

    private final VmTokens tokens;
    private final Supplier<URI> api;

    CoordGuestData(VmTokens tokens, Supplier<URI> api) {
        this.tokens = tokens;
        this.api = api;
    }

    @Override
    public boolean appliesTo(Vm vm) {
        return vm.labels().get(CoordFeature.GROUP_LABEL) != null;
    }

    @Override
    public Map<String, String> entries(Vm vm) {
        return Map.of(URL, guestUrl(api.get()), TOKEN, tokens.mint(vm));
    }

    static String guestUrl(URI api) {
        boolean loopback;
        try {
            var address = InetAddress.getByName(api.getHost().replace("[", "").replace("]", ""));
            loopback = address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        return loopback ? api.getScheme() + "://" + USER_NET_HOST + ":" + api.getPort() : api.toString();
    }
}
