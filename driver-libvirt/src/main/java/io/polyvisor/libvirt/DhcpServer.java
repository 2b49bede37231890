package io.polyvisor.libvirt;

import io.polyvisor.model.Nic;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;
import io.polyvisor.spi.DriverException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * DHCP for a private network on one host: a dnsmasq per network per host, in the host's namespace, bound to the
 * network's bridge only, serving static leases only (the MAC-to-address pairs of Polyvisor's address management,
 * in a hosts file it re-reads on SIGHUP), no DNS, no router, MTU 1450, infinite leases. Its files live in
 * {@code /run/polyvisor/dhcp/<namespace or "host">/}: {@code pvbr<VNI>.hosts}, {@code .pid}, {@code .log}.
 * The bridge carries the network's gateway address with a MAC derived from the VNI, the same on every host
 * ({@link #gatewayMac}); {@link NftDhcp} keeps each host's DHCP answers (and everything else from that MAC) off the
 * VXLAN device, so every guest is served by its own host and a moved guest by its new one.
 */
final class DhcpServer {
    static final Path ROOT = Path.of("/run/polyvisor/dhcp");

    private final HostShell shell;
    private final Path dir;

    DhcpServer(HostShell shell, String namespace) {
        this.shell = shell;
        this.dir = ROOT.resolve(namespace == null ? "host" : namespace);
    }

    /** {@code 02:70:76:VV:VV:VV}: locally administered, the VNI in the last three bytes. */
    static String gatewayMac(int vni) {
        return String.format("02:70:76:%02x:%02x:%02x", (vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff);
    }

    /** The hosts file's text: one {@code MAC,ADDRESS} line per lease, each checked against the network first. */
    static String hostsFile(Network n, List<Nic> leases) {
        var s = new StringBuilder();
        for (Nic nic : leases) {
            var ip = Ipv4.parse("lease address", nic.ip());
            if (!n.cidr().contains(ip)) throw new DriverException("lease " + nic.mac() + " " + ip + " is outside network " + n.name() + " (" + n.cidr() + ")");
            s.append(nic.mac()).append(',').append(ip).append('\n');
        }
        return s.toString();
    }

    /** Serves {@code leases} on {@code n}'s bridge (which has its gateway address): starts dnsmasq, or has it re-read them. */
    void serve(Network n, List<Nic> leases) {
        String br = n.bridge();
        Path hosts = dir.resolve(br + ".hosts");
        String text = hostsFile(n, leases);
        boolean changed;
        try {
            Files.createDirectories(dir);
            changed = !Files.exists(hosts) || !Files.readString(hosts).equals(text);
            if (changed) {
                Path tmp = dir.resolve(br + ".hosts.tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, hosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new DriverException("cannot write the DHCP leases of network " + n.name() + " in " + dir + ": " + e.getMessage());
        }
        var running = running(br);
        if (running.isPresent()) {
            if (changed) signal("-HUP", running.get());
            return;
        }
        String mask = new Ipv4(n.cidr().prefix() == 0 ? 0 : -1 << (32 - n.cidr().prefix())).toString();
        shell.run(List.of("dnsmasq", "--conf-file=/dev/null", "--port=0", "--interface=" + br, "--bind-interfaces",
                "--except-interface=lo", "--dhcp-range=" + n.cidr().base() + ",static," + mask + ",infinite",
                "--dhcp-hostsfile=" + hosts, "--dhcp-authoritative", "--leasefile-ro", "--dhcp-option=option:router",
                "--dhcp-option=option:dns-server", "--dhcp-option=option:mtu," + Network.GUEST_MTU,
                "--pid-file=" + dir.resolve(br + ".pid"), "--log-dhcp", "--log-facility=" + dir.resolve(br + ".log"),
                "--user=nobody", "--group=nogroup"));
    }

    /** Whether the network's dnsmasq runs here. */
    boolean serving(Network n) {
        return running(n.bridge()).isPresent();
    }

    /** Stops the network's dnsmasq, if it runs, and removes its files. */
    void stop(int vni) {
        String br = Network.bridge(vni);
        running(br).ifPresent(p -> signal("-TERM", p));
        for (String f : List.of(".hosts", ".pid", ".log")) {
            try {
                Files.deleteIfExists(dir.resolve(br + f));
            } catch (IOException e) {
                throw new DriverException("cannot remove " + dir.resolve(br + f) + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException otherNetworks) {
            // another network's server still keeps its files here
        } catch (IOException e) {
            throw new DriverException("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** The pid of the dnsmasq serving {@code br} here: the one in its pid file, if alive and serving this folder's hosts file. */
    private Optional<Long> running(String br) {
        try {
            Path pidFile = dir.resolve(br + ".pid");
            if (!Files.exists(pidFile)) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            if (!Files.exists(cmdline)) return Optional.empty();
            String cmd = Files.readString(cmdline);
            return cmd.startsWith("dnsmasq") && cmd.contains(dir.resolve(br + ".hosts").toString()) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void signal(String signal, long pid) {
        try {
            var p = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) throw new DriverException("kill " + signal + " " + pid + " failed");
        } catch (IOException e) {
            throw new DriverException("cannot signal dnsmasq " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted", true, e);
        }
    }
}
