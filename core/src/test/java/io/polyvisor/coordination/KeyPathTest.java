package io.polyvisor.coordination;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyPathTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "config/db.url", "A-1/b_2/c.3", "..a", "a.."})
    void acceptsSafeKeys(String key) {
        assertThat(new KeyPath(key).text()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a/../b|key must not have '.' or '..' segments, got 'a/../b'",
            "..|key must not have '.' or '..' segments, got '..'",
            "./a|key must not have '.' or '..' segments, got './a'",
            "a//b|key must not have empty segments (a leading, trailing or double '/'), got 'a//b'",
            "/a|key must not have empty segments (a leading, trailing or double '/'), got '/a'",
            "a/|key must not have empty segments (a leading, trailing or double '/'), got 'a/'",
            "a b|key may hold only letters, digits, '.', '_', '-' and '/', got 'a b'",
            "a%2Fb|key may hold only letters, digits, '.', '_', '-' and '/', got 'a%2Fb'"})
    void refusesUnsafeKeysWithExactMessages(String key, String message) {
        assertThatThrownBy(() -> new KeyPath(key)).isInstanceOf(InvalidInput.class).hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void refusesLongKeys() {
        assertThatThrownBy(() -> new KeyPath("k".repeat(257))).hasMessage("key must be at most 256 characters, got 257");
        assertThat(new KeyPath("k".repeat(256)).text()).hasSize(256);
    }
}
