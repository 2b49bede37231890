package io.polyvisor.image;

/** Building a guest image failed: a Debian tool is missing or failed, or a package could not be fetched. */
public final class ImageKitException extends RuntimeException {
    public ImageKitException(String message) {
        super(message);
    }
}
