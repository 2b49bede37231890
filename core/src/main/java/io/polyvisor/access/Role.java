package io.polyvisor.access;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A user's role. The role to permission table lives here and nowhere else. */
public enum Role {
    /** Reads VMs and tasks of its projects; any write is refused (403). */
    VIEWER,
    /** A viewer that may also create, delete and operate VMs in its projects. */
    OPERATOR,
    /** Everything, in every project: users, projects, hosts, settings. */
    ADMIN;

    /** Whether a holder of this role may call a route that asks for {@code p}. */
    public boolean allows(Permission p) {
        return switch (p) {
            case READ -> true;
            case OPERATE -> this != VIEWER;
            case ADMIN -> this == ADMIN;
        };
    }

    /** {@code viewer}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.label().equals(text)) return r;
        }
        throw new InvalidInput("role must be one of " + Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "))
                + ", got '" + Strings.printable(text) + "'");
    }
}
