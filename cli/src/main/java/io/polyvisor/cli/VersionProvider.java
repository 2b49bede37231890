package io.polyvisor.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.util.Properties;

/** {@code polyvisor --version}: the build's version (filtered into version.properties) and the Java running it. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
                "polyvisor " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }

    static String version() {
        var p = new Properties();
        try (var in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no version file: a development build
        }
        return p.getProperty("version", "dev");
    }
}
