package io.polyvisor.coordination;

import io.polyvisor.model.InvalidInput;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The limits of coordination input, checked at the edge with exact messages. */
public final class CoordNames {
    /** A value is at most this many bytes of UTF-8, so that a value wrapped in JSON fits the API's 64 KiB body limit. */
    public static final int MAX_VALUE_BYTES = 32 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private CoordNames() {}

    /** A lease name: 1 to 63 of letters, digits, '.', '_', '-', starting with a letter or digit. */
    public static String leaseName(String name) {
        InvalidInput.require(name != null && NAME.matcher(name).matches(),
                "lease name must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
                        + KeyPath.shown(name == null ? "" : name) + "'");
        return name;
    }

    /** A group name (the value of a VM's {@code group} label) as it appears in operator paths. */
    public static String group(String name) {
        InvalidInput.require(name != null && NAME.matcher(name).matches(),
                "group must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
                        + KeyPath.shown(name == null ? "" : name) + "'");
        return name;
    }

    /** A message topic: the same form as a lease name. */
    public static String topic(String name) {
        InvalidInput.require(name != null && NAME.matcher(name).matches(),
                "topic must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
                        + KeyPath.shown(name == null ? "" : name) + "'");
        return name;
    }

    /** A message body: at most {@value #MAX_MESSAGE_BYTES} bytes of UTF-8. */
    public static String messageBody(String body) {
        InvalidInput.require(body != null, "body is required");
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        InvalidInput.require(bytes <= MAX_MESSAGE_BYTES, "body must be at most " + MAX_MESSAGE_BYTES + " bytes of UTF-8, got " + bytes);
        return body;
    }

    public static final int MAX_MESSAGE_BYTES = 8 * 1024;

    public static String value(String value) {
        InvalidInput.require(value != null, "value is required");
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        InvalidInput.require(bytes <= MAX_VALUE_BYTES, "value must be at most " + MAX_VALUE_BYTES + " bytes of UTF-8, got " + bytes);
        return value;
    }

    /** User data is at most this many bytes of UTF-8, as EC2's (16 KiB); it rides in JSON within the 64 KiB body limit. */
    public static final int MAX_USER_DATA_BYTES = 16 * 1024;

    /**
     * A VM's user data (what its guest reads at {@code /v1/self}): text of at most {@value #MAX_USER_DATA_BYTES} bytes
     * of UTF-8, without NUL characters (a shell in the guest could not hold them).
     */
    public static String userData(String data) {
        InvalidInput.require(data != null, "user_data is required");
        int bytes = data.getBytes(StandardCharsets.UTF_8).length;
        InvalidInput.require(bytes <= MAX_USER_DATA_BYTES, "user_data must be at most " + MAX_USER_DATA_BYTES + " bytes of UTF-8, got " + bytes);
        InvalidInput.require(data.indexOf('\0') < 0, "user_data must not contain NUL characters");
        return data;
    }

    /** A lease's time to live in seconds: 1 to 600. */
    public static int ttl(int seconds) {
        InvalidInput.require(seconds >= 1 && seconds <= 600, "ttl_s must be between 1 and 600, got " + seconds);
        return seconds;
    }
}
