package io.polyvisor.placement;

import java.util.Arrays;

/**
 * A segment tree over host indexes holding, per subtree, the largest free CPU and the largest free memory.
 * {@link #next} finds the first host at or after an index with room for a demand in O(log n) typical time:
 * a subtree is skipped when either maximum is too small (both maxima may come from different hosts, so the
 * leaves are checked exactly). Hosts that may not take VMs are stored with negative room and never found.
 */
final class FreeIndex {
    private final int size;
    private final double[] cpu;
    private final double[] mem;

    FreeIndex(double[] freeCpu, double[] freeMem) {
        int n = Math.max(1, freeCpu.length);
        int s = 1;
        while (s < n) s <<= 1;
        size = s;
        cpu = new double[2 * s];
        mem = new double[2 * s];
        Arrays.fill(cpu, -1);
        Arrays.fill(mem, -1);
        System.arraycopy(freeCpu, 0, cpu, s, freeCpu.length);
        System.arraycopy(freeMem, 0, mem, s, freeMem.length);
        for (int i = s - 1; i >= 1; i--) pull(i);
    }

    void set(int host, double freeCpu, double freeMem) {
        int i = host + size;
        cpu[i] = freeCpu;
        mem[i] = freeMem;
        for (i >>= 1; i >= 1; i >>= 1) pull(i);
    }

    /** The first host index {@code >= from} with free CPU {@code >= c} and free memory {@code >= m}, or -1. */
    int next(int from, double c, double m) {
        if (from >= size) return -1;
        return find(1, 0, size, from, c, m);
    }

    private int find(int node, int lo, int hi, int from, double c, double m) {
        if (hi <= from || cpu[node] < c || mem[node] < m) return -1;
        if (hi - lo == 1) return lo;
        int mid = (lo + hi) >>> 1;
        int r = find(2 * node, lo, mid, from, c, m);
        return r >= 0 ? r : find(2 * node + 1, mid, hi, from, c, m);
    }

    private void pull(int i) {
        cpu[i] = Math.max(cpu[2 * i], cpu[2 * i + 1]);
        mem[i] = Math.max(mem[2 * i], mem[2 * i + 1]);
    }
}
