package io.polyvisor.autoscale;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.VmSpec;

/**
 * An elastic group as stored: the template its members are made from, the service port they answer on, the
 * balancer's endpoint, and how it scales.
 *
 * @param name       the group's name; members are named {@code NAME-N}
 * @param template   each member's spec (its exposed ports are the group's {@code port})
 * @param port       the guest port members serve on, which the balancer sends traffic to
 * @param listenPort the balancer's endpoint on 127.0.0.1
 * @param rules      min, max, target and the stabilisation rules
 * @param desired    the member count the group aims for (the policy's last decision, or set by hand)
 * @param nextMember the number the next member's name gets
 * @param deleting   whether the group is being removed: its members drain and go, then the group
 * @param healthPath the HTTP path HAProxy's health check asks members for (and a warm member must answer before it
 *                   is suspended); default {@code /}
 */
public record Group(String name, VmSpec template, int port, int listenPort, ScalingRules rules, int desired, long nextMember,
                    boolean deleting, String healthPath) {
    public static final String LABEL = "group";
    public static final String HEALTH_PATH = "/";

    /** With the default health-check path. */
    public Group(String name, VmSpec template, int port, int listenPort, ScalingRules rules, int desired, long nextMember, boolean deleting) {
        this(name, template, port, listenPort, rules, desired, nextMember, deleting, HEALTH_PATH);
    }

    public Group {
        Names.requireName("group", name);
        InvalidInput.require(name.length() <= 50, "group name must be at most 50 characters (members are NAME-N), got " + name.length());
        InvalidInput.require(port >= 1 && port <= 65535, "port must be between 1 and 65535, got " + port);
        InvalidInput.require(listenPort >= 1 && listenPort <= 65535, "listen port must be between 1 and 65535, got " + listenPort);
        healthPath = healthPath == null ? HEALTH_PATH : healthPath;
        // it is written into HAProxy's configuration: a path of URL characters only, nothing that could end the line
        InvalidInput.require(healthPath.length() <= 200 && healthPath.matches("/[A-Za-z0-9._~%/?=&+-]*"),
                "health path must start with / and hold only letters, digits and . _ ~ % / ? = & + - (at most 200), got '" + healthPath + "'");
        InvalidInput.require(desired >= 0 && desired <= rules.max(), "desired must be between 0 and max " + rules.max() + ", got " + desired);
        if (!template.exposePorts().equals(java.util.List.of(port))) {
            template = new VmSpec(template.vcpus(), template.memoryBytes(), template.boot(), template.nics(), java.util.List.of(port));
        }
    }

    public Group withRules(ScalingRules r) {
        return new Group(name, template, port, listenPort, r, r.clamp(desired), nextMember, deleting, healthPath);
    }

    public Group withDesired(int d) {
        return new Group(name, template, port, listenPort, rules, d, nextMember, deleting, healthPath);
    }

    /** The next member's name, and the group with its counter moved on. */
    public Group withMemberTaken() {
        return new Group(name, template, port, listenPort, rules, desired, nextMember + 1, deleting, healthPath);
    }

    public String memberName() {
        return name + "-" + nextMember;
    }

    public Group markedDeleting() {
        return new Group(name, template, port, listenPort, rules, desired, nextMember, true, healthPath);
    }

    /** One decision as recorded: when, what desired became, and why. */
    public record Decided(java.time.Instant at, int desired, int launched, int removed, String reason) {}
}
