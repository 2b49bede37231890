package io.polyvisor.groups;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.autoscale.Group;
import io.polyvisor.autoscale.ScalingRules;
import io.polyvisor.autoscale.Target;
import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** Reads POST /api/v1/groups and PUT /api/v1/groups/{name}; every mistake is an {@link InvalidInput} with the exact reason. */
final class CreateGroupBody {
    private static final Set<String> BOOT_FIELDS = Set.of("kernel", "initrd", "cmdline", "image");
    private static final Object TARGET = map("type", "string", "description",
            "cpu=PERCENT (average VM CPU), rps=N (requests per second per member, from HAProxy) or metric:NAME=V (pushed by members)");

    static final Payload.Written SCHEMA = new Payload.Written("CreateGroup", object(List.of("name", "memory", "port", "max"),
            "name", map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$"),
            "vcpus", map("type", "integer", "minimum", 1, "maximum", VmSpec.MAX_VCPUS, "default", 1),
            "memory", map("type", "string", "description", "each member's memory, a size such as 256M"),
            "boot", map("description", "absent: no boot media", "anyOf", List.of(
                    object(List.of("kernel"), "kernel", STRING, "initrd", STRING, "cmdline", STRING),
                    object(List.of("image"), "image", STRING))),
            "port", integer(1, 65535),
            "listen_port", map("type", "integer", "minimum", 1, "maximum", 65535,
                    "description", "the endpoint's port on 127.0.0.1; absent: a free one"),
            "min", integer(0, ScalingRules.MAX_MEMBERS),
            "max", integer(1, ScalingRules.MAX_MEMBERS),
            "target", TARGET,
            "scale_out_window_s", integer(0, 86400),
            "scale_in_window_s", integer(0, 86400),
            "step_out", integer(1, ScalingRules.MAX_MEMBERS),
            "step_in", integer(1, ScalingRules.MAX_MEMBERS),
            "warm", map("type", "integer", "minimum", 0, "maximum", ScalingRules.MAX_MEMBERS, "default", 0,
                    "description", "members kept built and suspended, resumed first to scale out; they count toward max"),
            "health_path", map("type", "string", "default", "/", "description", "the HTTP path HAProxy's health check asks members for"),
            "project", map("type", "string", "description", "the project that owns the group and its members (default: default)")), false);

    static final Payload.Written UPDATE = new Payload.Written("UpdateGroup", object(List.of(),
            "min", integer(0, ScalingRules.MAX_MEMBERS), "max", integer(1, ScalingRules.MAX_MEMBERS),
            "target", map("type", "string", "description", "as for create, or none to scale by hand"),
            "warm", map("type", "integer", "minimum", 0, "maximum", ScalingRules.MAX_MEMBERS)), false);

    static final Payload.Written SCALE = new Payload.Written("ScaleGroup", object(List.of("desired"),
            "desired", integer(0, ScalingRules.MAX_MEMBERS)), false);

    static final Payload.Written METRIC = new Payload.Written("GroupMetric", object(List.of("member", "name", "value"),
            "member", STRING, "name", STRING, "value", map("type", "number")), false);

    private CreateGroupBody() {}

    /** A valid group but for its endpoint port, which is {@code listenPort} or, when null, a free one chosen at create. */
    record Draft(Group group, Integer listenPort, String project) {}

    static Draft parse(ObjectMapper mapper, String text) {
        Body b = Body.parse(mapper, text, SCHEMA.fields());
        String name = Names.requireName("group", b.requiredString("name"));
        int vcpus = b.has("vcpus") ? b.integer("vcpus") : 1;
        InvalidInput.require(b.has("memory"), "memory is required (e.g. \"memory\": \"256M\")");
        long memory = Sizes.parse("memory", b.string("memory"));
        InvalidInput.require(b.has("port"), "port is required: the port members serve on (e.g. 80)");
        int port = b.integer("port");
        InvalidInput.require(b.has("max"), "max is required: the most members the group may have");
        int max = b.integer("max");
        int min = b.has("min") ? b.integer("min") : Math.min(1, max);
        Target target = b.has("target") ? Target.parse(b.string("target")) : null;
        var rules = new ScalingRules(min, max, target,
                b.has("scale_out_window_s") ? Duration.ofSeconds(b.integer("scale_out_window_s")) : ScalingRules.SCALE_OUT_WINDOW,
                b.has("scale_in_window_s") ? Duration.ofSeconds(b.integer("scale_in_window_s")) : ScalingRules.SCALE_IN_WINDOW,
                b.has("step_out") ? b.integer("step_out") : ScalingRules.STEP_OUT,
                b.has("step_in") ? b.integer("step_in") : ScalingRules.STEP_IN, ScalingRules.TOLERANCE,
                b.has("warm") ? b.integer("warm") : 0);
        var spec = new VmSpec(vcpus, memory, io.polyvisor.lifecycle.BootBody.parse(b.object("boot", BOOT_FIELDS)), null, List.of(port));
        Integer listen = b.integer("listen_port");
        InvalidInput.require(listen == null || (listen >= 1 && listen <= 65535), "listen_port must be between 1 and 65535, got " + listen);
        // the port is checked and chosen by the request; 1 stands in for it until then
        return new Draft(new Group(name, spec, port, listen == null ? 1 : listen, rules, min, 1, false, b.string("health_path")), listen,
                b.string("project"));
    }
}
