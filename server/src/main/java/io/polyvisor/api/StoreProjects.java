package io.polyvisor.api;

import io.polyvisor.access.Owned;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The projects of events' subjects, as the store has them now (a stream's {@link EventVisibility} keeps what it read). */
record StoreProjects(Store store) implements EventVisibility.Projects {
    @Override
    public List<Vm> everyVm() {
        return store.vms();
    }

    @Override
    public Optional<String> ofVm(String name) {
        return store.vmByName(name).map(Vm::project);
    }

    @Override
    public Map<String, String> owners(Owned kind) {
        return store.owners(kind);
    }

    @Override
    public Optional<String> of(Owned kind, String name) {
        boolean exists = switch (kind) {
            case NETWORK -> store.network(name).isPresent();
            case VOLUME -> store.volume(name).isPresent();
            case GROUP -> store.group(name).isPresent();
            default -> store.owners(kind).containsKey(name); // a kind owned later: it has a project once one is recorded
        };
        return exists ? Optional.of(store.owner(kind, name)) : Optional.empty();
    }
}
