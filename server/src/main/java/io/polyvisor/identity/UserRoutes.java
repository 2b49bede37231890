package io.polyvisor.identity;

import io.polyvisor.access.Expiry;
import io.polyvisor.access.Permission;
import io.polyvisor.access.Principal;
import io.polyvisor.access.Role;
import io.polyvisor.access.User;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Credentials;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.events.Journal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Refusal;
import io.polyvisor.store.Store;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.label;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/**
 * {@code /api/v1/users} (admins) and {@code /api/v1/whoami} (anyone). A token is {@code pv_} and 256 random bits in
 * base64url, shown once in the answer to create or rotate; the store keeps its SHA-256 ({@link Credentials#hash}).
 */
final class UserRoutes {
    static final Payload.Written CREATE = new Payload.Written("CreateUser", object(List.of("name", "role"),
            "name", map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"),
            "role", label(Role.class),
            "projects", map("type", "array", "maxItems", 64, "items", STRING, "description", "projects it sees and acts in (not for admins)"),
            "expires", map("type", "string", "description", "how long the token works, such as 12h or 90d (default: until revoked)")), false);
    static final Payload.Written ROTATE = new Payload.Written("RotateUser", object(List.of(),
            "expires", map("type", "string", "description", "how long the new token works (default: as long as the old one was given)")), true);
    static final Payload.Written EMPTY = new Payload.Written("Empty", object(List.of()), true);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Journal journal;
    private final ObjectMapper mapper;
    private final Clock clock;

    UserRoutes(Store store, Journal journal, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.mapper = mapper;
        this.clock = clock;
    }

    List<Route> routes() {
        String one = "/api/v1/users/{name}";
        return List.of(
                Route.post("/api/v1/users", "Create a user; the answer holds its token, shown this once", 201, CREATE,
                        Payload.of(IdentityViews.UserTokenView.class), this::create),
                Route.get("/api/v1/users", "List users", Payload.listOf(IdentityViews.UserView.class),
                        ctx -> ctx.json(store.users().stream().map(u -> IdentityViews.user(u, clock.instant())).toList())),
                Route.get(one, "Show a user", Payload.of(IdentityViews.UserView.class),
                        ctx -> ctx.json(IdentityViews.user(find(ctx.pathParam("name")), clock.instant()))),
                Route.post(one + "/revoke", "Revoke a user: its token and its console sessions stop working at once", 200, EMPTY,
                        Payload.of(IdentityViews.UserView.class), this::revoke),
                Route.post(one + "/rotate", "Give a user a new token; the old one stops working at once", 200, ROTATE,
                        Payload.of(IdentityViews.UserTokenView.class), this::rotate),
                Route.get("/api/v1/whoami", "Who the credential of this request is: name, role, projects",
                        Payload.of(IdentityViews.PrincipalView.class), ctx -> {
                            Principal p = Caller.of(ctx);
                            ctx.json(new IdentityViews.PrincipalView(p.name(), p.role(), List.copyOf(new java.util.TreeSet<>(p.projects()))));
                        }).requires(Permission.READ));
    }

    private void create(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), CREATE.fields());
        String name = Names.requireName("user", b.requiredString("name"));
        Role role = Role.parse(b.requiredString("role"));
        Set<String> projects = new LinkedHashSet<>();
        for (String p : b.stringList("projects")) projects.add(Names.requireName("project", p));
        InvalidInput.require(role != Role.ADMIN || projects.isEmpty(), "an admin sees every project: give no projects");
        Instant now = now();
        Instant expires = b.has("expires") ? now.plus(Expiry.parse(b.string("expires"))) : null;
        User user = new User(name, role, projects, now, expires, null);
        String token = mint();
        store.inTransaction(tx -> {
            for (String p : projects) {
                if (tx.project(p).isEmpty()) throw Refusal.notFound("project " + p + " not found");
            }
            tx.insertUser(user, Credentials.hash(token));
            journal.record(tx, IdentityEvent.USER_CREATED, name, "user " + name + " created: " + role.label()
                    + (projects.isEmpty() ? "" : " of " + String.join(", ", new java.util.TreeSet<>(projects)))
                    + (expires == null ? "" : ", token expires " + expires));
            return null;
        });
        journal.signal();
        ctx.status(201).json(new IdentityViews.UserTokenView(IdentityViews.user(user, now), token));
    }

    private void revoke(Context ctx) {
        Body.parse(mapper, Body.text(ctx), EMPTY.fields());
        User revoked = store.inTransaction(tx -> {
            User u = find(tx, ctx.pathParam("name"));
            if (u.revoked() != null) return u; // revoking twice changes nothing
            User next = u.revokedAt(now());
            tx.updateUser(next, null);
            journal.record(tx, IdentityEvent.USER_REVOKED, u.name(), "user " + u.name() + " revoked");
            return next;
        });
        journal.signal();
        ctx.json(IdentityViews.user(revoked, clock.instant()));
    }

    private void rotate(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), ROTATE.fields());
        var lifetime = b.has("expires") ? Expiry.parse(b.string("expires")) : null;
        String token = mint();
        Instant now = now();
        User rotated = store.inTransaction(tx -> {
            User u = find(tx, ctx.pathParam("name"));
            if (u.revoked() != null) throw Refusal.conflict("user " + u.name() + " is revoked; create a new user instead");
            // without a new lifetime the new token gets the one the old was given (created to expires), counted from now
            Instant expires = lifetime != null ? now.plus(lifetime)
                    : u.expires() == null ? null : now.plus(java.time.Duration.between(u.created(), u.expires()));
            User next = new User(u.name(), u.role(), u.projects(), now, expires, null);
            tx.updateUser(next, Credentials.hash(token));
            journal.record(tx, IdentityEvent.USER_ROTATED, u.name(), "user " + u.name() + " has a new token (the old one is void)"
                    + (expires == null ? "" : ", expires " + expires));
            return next;
        });
        journal.signal();
        ctx.json(new IdentityViews.UserTokenView(IdentityViews.user(rotated, now), token));
    }

    private User find(String name) {
        return find(store, name);
    }

    private static User find(Store s, String name) {
        return s.user(name).orElseThrow(() -> Refusal.notFound("user " + name + " not found"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** 256 random bits, base64url, with a prefix that says what it is (and lets secret scanners find a leaked one). */
    static String mint() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "pv_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
