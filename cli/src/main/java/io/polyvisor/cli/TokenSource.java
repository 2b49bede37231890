package io.polyvisor.cli;

import io.polyvisor.model.InvalidInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the API token, first match wins: {@code --token}, then {@code $POLYVISOR_TOKEN}, then the file
 * {@code data/admin.token} under the working directory. Blank values count as absent; surrounding whitespace
 * (the file's trailing newline) is stripped. The token is never printed.
 */
final class TokenSource {
    static final String ENV = "POLYVISOR_TOKEN";
    static final Path FILE = Path.of("data", "admin.token");

    private TokenSource() {}

    static Optional<String> resolve(String flag, Map<String, String> env, Path cwd) {
        if (flag != null && !flag.isBlank()) return Optional.of(flag.strip());
        var fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return Optional.of(fromEnv.strip());
        var file = cwd.resolve(FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            var text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new InvalidInput("cannot read token file " + file + ": " + e.getMessage());
        }
    }
}
