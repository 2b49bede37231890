package io.polyvisor.server;

import io.polyvisor.cli.LocalCommands;
import io.polyvisor.image.ImageCommand;

import java.util.List;

/** The server module's local commands: {@code server}, {@code image}, {@code drivers}, {@code sim-serve}. */
public final class ServerLocalCommands implements LocalCommands {
    @Override
    public List<Class<?>> commands() {
        return List.of(ServerCommand.class, ImageCommand.class, DriversCommand.class, SimServeCommand.class);
    }
}
