package io.polyvisor.volumes;

/**
 * What {@code qemu-img info --output=json} says about a file.
 *
 * @param format      the format QEMU detected ({@code qcow2}, {@code raw}, {@code vmdk} ...)
 * @param virtualSize the guest-visible size in bytes
 * @param backingFile the qcow2 backing file name, or null
 * @param dataFile    the qcow2 external data file name, or null
 */
public record ImageFacts(String format, long virtualSize, String backingFile, String dataFile) {}
