package io.polyvisor.bench;

import io.polyvisor.cli.LocalCommands;

import java.util.List;

/** Puts {@code polyvisor bench ...} under the launcher when this module is on the class path. */
public final class BenchLocalCommands implements LocalCommands {
    @Override
    public List<Class<?>> commands() {
        return List.of(BenchCommand.class);
    }
}
