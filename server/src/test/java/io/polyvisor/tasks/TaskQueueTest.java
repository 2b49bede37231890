package io.polyvisor.tasks;

import io.polyvisor.model.Task;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskQueueTest {
    final Store store = Stores.open("jdbc:h2:mem:tasks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    final AtomicInteger wakes = new AtomicInteger();
    final TaskQueue queue = new TaskQueue(wakes::incrementAndGet, Clock.systemUTC());

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theExecutorIsWokenOnlyOnceTheTaskIsCommitted() {
        UUID vm = UUID.randomUUID();
        Task t = store.inTransaction(tx -> {
            Task queued = queue.enqueue(tx, new TaskRequest.Migrate(vm, "h2"));
            assertThat(wakes).as("not before the commit").hasValue(0);
            return queued;
        });
        assertThat(wakes).hasValue(1);
        assertThat(store.task(t.id())).hasValueSatisfying(stored -> {
            assertThat(stored.kind()).isEqualTo(Task.Kind.MIGRATE);
            assertThat(stored.vmId()).isEqualTo(vm);
            assertThat(stored.target()).isEqualTo("h2");
            assertThat(stored.status()).isEqualTo(Task.Status.QUEUED);
        });

        assertThatThrownBy(() -> store.inTransaction(tx -> {
            queue.enqueue(tx, new TaskRequest.Delete(vm));
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(wakes).as("a rolled-back task wakes nobody").hasValue(1);
        assertThat(store.unfinishedTasks()).containsExactly(store.task(t.id()).orElseThrow());
    }

    @Test
    void everyKindMapsToItsRequestAndBack() {
        UUID vm = UUID.randomUUID();
        for (Task.Kind kind : Task.Kind.values()) {
            String target = switch (kind) {
                case CREATE, MIGRATE, RESTART, FENCE -> "h1";
                case STOP -> "force";
                default -> null;
            };
            TaskRequest r = TaskRequest.of(kind, vm, target);
            assertThat(r.kind()).isEqualTo(kind);
            assertThat(r.target()).isEqualTo(target);
        }
        assertThat(TaskRequest.of(Task.Kind.STOP, vm, null).target()).isNull();
        assertThatThrownBy(() -> new TaskRequest.Restart(vm, null)).hasMessage("a restart task needs a host");
    }
}
