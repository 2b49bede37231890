package io.polyvisor.spi;

/** A completed live migration's own figures. */
public record MigrationResult(long totalMillis, long downtimeMillis, long bytesTransferred) {}
