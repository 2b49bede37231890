package io.polyvisor.groups;

import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Building warm members: a member created for the pool boots like any other, and is suspended (its memory kept, so a
 * resume needs no boot) once its service answers the group's health path on its forwarded port, so what resumes is a member
 * that already serves. It is never added to HAProxy before it is resumed.
 */
final class WarmPool {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private WarmPool() {}

    /**
     * Queues the member's suspend once it runs and answers; does nothing once the suspend is asked for (the member
     * stays in {@code rt.preparing}, so out of rotation, until it is paused).
     */
    static void suspendOnceServing(Vm vm, Integer port, String healthPath, VmRequests vms, GroupRuntime rt) {
        if (vm.intent() == PowerIntent.PAUSED || !(vm.state() instanceof VmState.Running) || port == null) return;
        if (Boolean.FALSE.equals(rt.preparing.get(vm.name())) || !answers(port, healthPath)) return;
        try {
            vms.request(vm.id().toString(), Task.Kind.SUSPEND, null);
            rt.preparing.put(vm.name(), false);
        } catch (Refusal busy) {
            // its create task is still finishing: the next evaluation asks again
        }
    }

    private static boolean answers(int port, String healthPath) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + healthPath))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
