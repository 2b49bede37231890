package io.polyvisor.bench.replay;

import io.polyvisor.model.InvalidInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One day of PlanetLab CPU traces: one file per VM, 288 integer percentages at 300 s. Files are sorted
 * by name (byte order) so VM types are assigned reproducibly; values are kept as fractions in an array
 * of 289 with the last sample repeated, as CloudSim's {@code UtilizationModelPlanetLabInMemory} does.
 */
public record TraceDay(String name, List<String> files, List<double[]> traces) {
    public static final int SAMPLES = 288;

    public static TraceDay load(Path dir) {
        InvalidInput.require(Files.isDirectory(dir), "trace folder " + dir + " does not exist or is not a folder");
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")
                    && !p.getFileName().toString().equals("SHA256SUMS")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InvalidInput.require(!paths.isEmpty(), "trace folder " + dir + " holds no trace files");
        List<String> names = new ArrayList<>();
        List<double[]> traces = new ArrayList<>();
        for (Path p : paths) {
            names.add(p.getFileName().toString());
            traces.add(read(p));
        }
        return new TraceDay(dir.getFileName().toString(), names, traces);
    }

    /** Day folders (names of 8 digits) under {@code parent}, sorted. */
    public static List<Path> days(Path parent) {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("\\d{8}")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] read(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            double[] data = new double[SAMPLES + 1];
            for (int i = 0; i < SAMPLES && i < lines.size(); i++) data[i] = Integer.parseInt(lines.get(i).trim()) / 100.0;
            data[SAMPLES] = data[SAMPLES - 1];
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy keeping only the first {@code n} VMs (for fast tests). */
    public TraceDay first(int n) {
        return new TraceDay(name, files.subList(0, n), traces.subList(0, n));
    }
}
