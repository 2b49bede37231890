package io.polyvisor.libvirt;

import org.w3c.dom.Element;

import java.util.Set;

/**
 * Whether a host's capabilities ({@code virConnectGetCapabilities}) offer a KVM that can run unmodified guests. Pure:
 * it reads the XML only.
 * <ul>
 *   <li>No {@code <domain type='kvm'>} under any guest: no KVM.</li>
 *   <li>An x86 host whose CPU lacks hardware virtualization ({@code vmx} or {@code svm} among the host CPU's features)
 *       and still offers KVM runs a software KVM, such as PVM (pagetable-based virtual machine, nested in a cloud VM):
 *       its {@code /dev/kvm} starts a domain, but an unmodified guest kernel stops at the first instruction the
 *       software cannot emulate ("KVM internal error. Suberror: 1 ... emulation failure", on {@code lock cmpxchg16b}
 *       on 2026-12-03 here), with its vCPU at 100%. Such a KVM is not offered.</li>
 *   <li>Other architectures (aarch64, ppc64, s390x) name no such feature: KVM is offered when listed.</li>
 * </ul>
 */
record KvmOffer(boolean offered, String reason) {
    private static final Set<String> X86 = Set.of("x86_64", "i686");

    static KvmOffer of(String capabilitiesXml) {
        Element caps = Xml.parse(capabilitiesXml);
        boolean listed = false;
        var domains = caps.getElementsByTagName("domain");
        for (int i = 0; i < domains.getLength(); i++) {
            if ("kvm".equals(((Element) domains.item(i)).getAttribute("type"))) listed = true;
        }
        if (!listed) return new KvmOffer(false, "the host offers no kvm domain type");
        var host = (Element) caps.getElementsByTagName("host").item(0);
        var cpu = host == null ? null : (Element) host.getElementsByTagName("cpu").item(0);
        String arch = cpu == null ? null : Xml.first(cpu, "arch");
        if (arch == null || !X86.contains(arch)) return new KvmOffer(true, "kvm listed for " + arch);
        var features = cpu.getElementsByTagName("feature");
        for (int i = 0; i < features.getLength(); i++) {
            String name = ((Element) features.item(i)).getAttribute("name");
            if (name.equals("vmx") || name.equals("svm")) return new KvmOffer(true, "kvm listed, host CPU has " + name);
        }
        return new KvmOffer(false, "kvm listed but the host CPU has neither vmx nor svm: a software KVM (such as PVM) that stops unmodified guests");
    }
}
