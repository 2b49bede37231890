package io.polyvisor.model;

import java.util.Locale;

/** The graphical display a VM gets besides its serial console. */
public enum Display {
    /** Serial console only: no video device (the default; the cheapest to boot). */
    NONE,
    /**
     * A VGA adapter whose screen, keyboard and mouse are served over VNC on the VM's host (to Polyvisor only: a UNIX
     * socket on libvirt hosts), which the web console shows with noVNC.
     */
    VNC;

    public static Display parse(String text) {
        if (text == null) return NONE;
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "vnc" -> VNC;
            default -> throw new InvalidInput("display must be one of none, vnc, got '" + Strings.printable(text) + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
