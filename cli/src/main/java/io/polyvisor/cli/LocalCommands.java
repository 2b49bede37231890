package io.polyvisor.cli;

import java.util.List;

/**
 * Top-level commands that run on this machine rather than through the REST API ({@code server}, {@code image},
 * {@code drivers}, {@code bench}). The client module does not link the modules that implement them: each such
 * module lists its implementation in {@code META-INF/services/io.polyvisor.cli.LocalCommands}, and
 * {@link Main} adds whatever is on the class path. A picocli command class each; names must not clash.
 */
public interface LocalCommands {
    /** picocli {@code @Command} classes to add under {@code polyvisor}. */
    List<Class<?>> commands();
}
