package io.polyvisor.realvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands in a real guest through qemu-guest-agent, by {@code virsh qemu-agent-command} on the guest's host
 * (test-side tooling: the product does not run commands in guests).
 */
public record GuestAgent(URI host) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Exec(int exit, String out, String err) {}

    /** Runs a command in the guest; fails unless it exits 0; returns its standard output. */
    public String run(String vm, String path, String... args) throws Exception {
        var r = exec(vm, path, args);
        assertThat(r.exit()).as("%s %s in the guest: %s %s", path, List.of(args), r.out(), r.err()).isZero();
        return r.out();
    }

    /** Runs a command in the guest and waits up to 30 s for it to end. */
    public Exec exec(String vm, String path, String... args) throws Exception {
        long pid = start(vm, path, args);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var done = status(vm, pid);
            if (done != null) return done;
            Thread.sleep(100);
        }
        throw new AssertionError(path + " " + List.of(args) + " did not finish in the guest within 30 s");
    }

    /** Starts a command in the guest and returns its pid there, without waiting. */
    public long start(String vm, String path, String... args) throws Exception {
        var cmd = JSON.createObjectNode();
        cmd.put("execute", "guest-exec");
        var a = cmd.putObject("arguments");
        a.put("path", path);
        var argv = a.putArray("arg");
        for (String s : args) argv.add(s);
        a.put("capture-output", true);
        return JSON.readTree(command(vm, cmd.toString())).path("return").path("pid").asLong();
    }

    /** The command's outcome once it exited, else null. */
    public Exec status(String vm, long pid) throws Exception {
        JsonNode st = JSON.readTree(command(vm, "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")).path("return");
        if (!st.path("exited").asBoolean()) return null;
        return new Exec(st.path("exitcode").asInt(-1), decode(st.path("out-data")), decode(st.path("err-data")));
    }

    /** Waits until the guest's agent answers (the tiny guest starts it after writing /run/polyvisor). */
    public void await(String vm, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (command(vm, "{\"execute\":\"guest-ping\"}").contains("return")) return;
            } catch (AssertionError e) {
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("qemu-guest-agent of " + vm + " did not answer within " + timeout + ": " + last);
    }

    /** One agent command. */
    public String command(String vm, String json) throws Exception {
        var cmd = new ArrayList<>(List.of("virsh", "-c", host.toString(), "qemu-agent-command", vm, json, "--timeout", "10"));
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("virsh qemu-agent-command " + json + ": " + out.strip());
        return out;
    }

    private static String decode(JsonNode b64) {
        return b64.isMissingNode() ? "" : new String(Base64.getDecoder().decode(b64.asText()), StandardCharsets.UTF_8);
    }
}
