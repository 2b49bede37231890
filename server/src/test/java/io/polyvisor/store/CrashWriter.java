package io.polyvisor.store;

import io.polyvisor.model.Task;

import java.nio.file.Path;

import static io.polyvisor.store.StoreFixtures.now;
import static io.polyvisor.store.StoreFixtures.task;
import static io.polyvisor.store.StoreFixtures.vm;

/**
 * Child process for {@link StoreCrashTest}: writes VMs to the embedded store as fast as it can, each with
 * its task and event in one transaction, and prints {@code committed N} after each commit returns, until
 * it is killed.
 */
final class CrashWriter {
    public static void main(String[] args) {
        Store store = Stores.embedded(Path.of(args[0]));
        for (int n = 1; ; n++) {
            var v = vm("vm" + n);
            store.inTransaction(s -> {
                s.insertVm(v);
                s.insertTask(task(v.id(), Task.Kind.CREATE, Task.Status.QUEUED, now()));
                s.appendEvent("vm.created", v.name(), "created");
                return null;
            });
            System.out.println("committed " + n);
            System.out.flush();
        }
    }
}
