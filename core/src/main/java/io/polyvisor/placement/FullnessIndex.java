package io.polyvisor.placement;

import java.util.Arrays;

/**
 * Schedulable hosts by free CPU and free memory, so that the scheduler can visit the hosts that have room for a demand
 * fullest first (the order of the {@code binpack} score) and stop as soon as no later host could score noticeably higher.
 *
 * <p>Hosts of one capacity (a <em>class</em>) sit in a {@value #G} x {@value #G} grid of cells by free CPU fraction
 * (row {@code i}: {@code [edge(i), edge(i+1))}, finer for fuller hosts, see {@link #level}) and free memory fraction
 * (column {@code j}), as linked lists, with a bitset of non-empty cells per row: moving a host is O(1). A host's binpack
 * score for a demand is {@code 1 - (free cpu fraction + free memory fraction) / 2 + inc}, where {@code inc} (the demand
 * over the class's capacity) is the same for the whole class, so every host of cell {@code (i, j)} scores at most
 * {@code 1 - (edge(i) + edge(j)) / 2 + inc} and at most the cell's {@link Cursor#slack} less. A {@link Cursor} visits the cells that can hold a host
 * with room (rows and columns at or above the demand's) in non-increasing order of that bound, merging the classes;
 * only the hosts of the first row and column it may visit can lack room. With more than {@link #MAX_CLASSES} host
 * capacities the index is not built ({@link #usable()} false) and the scheduler searches in host order.
 * Not thread-safe: one per {@link ClusterView}.
 */
final class FullnessIndex {
    static final int G = 64;
    static final int MAX_CLASSES = 16;
    private final boolean usable;
    private final int classes;
    private final double[] classCpu, classMem;
    private final int[] classOf, cellOf, next, prev, head;
    private final long[] rows;

    /** {@code cpuCap[i] <= 0}, {@code memCap[i] <= 0} or {@code !open[i]}: host i is not indexed (takes nothing). */
    FullnessIndex(double[] cpuCap, double[] memCap, double[] cpuUsed, double[] memUsed, boolean[] open) {
        int n = cpuCap.length;
        classOf = new int[n];
        double[] cc = new double[MAX_CLASSES], cm = new double[MAX_CLASSES];
        int k = 0;
        boolean ok = true;
        for (int i = 0; i < n && ok; i++) {
            classOf[i] = -1;
            if (!open[i] || cpuCap[i] <= 0 || memCap[i] <= 0) continue;
            int c = 0;
            while (c < k && (cc[c] != cpuCap[i] || cm[c] != memCap[i])) c++;
            if (c == k) {
                if (k == MAX_CLASSES) {
                    ok = false;
                    break;
                }
                cc[k] = cpuCap[i];
                cm[k++] = memCap[i];
            }
            classOf[i] = c;
        }
        usable = ok;
        classes = ok ? k : 0;
        classCpu = cc;
        classMem = cm;
        cellOf = new int[ok ? n : 0];
        next = new int[ok ? n : 0];
        prev = new int[ok ? n : 0];
        head = new int[classes * G * G];
        rows = new long[classes * G];
        Arrays.fill(head, -1);
        if (!ok) return;
        for (int i = 0; i < n; i++) {
            cellOf[i] = -1;
            if (classOf[i] >= 0) link(i, cell(i, cpuUsed[i], memUsed[i]));
        }
    }

    boolean usable() {
        return usable;
    }

    /** Host {@code i}'s reservations changed: re-file it. No-op for hosts not indexed. */
    void update(int i, double cpuUsed, double memUsed) {
        if (!usable || classOf[i] < 0) return;
        int cell = cell(i, cpuUsed, memUsed);
        if (cell == cellOf[i]) return;
        unlink(i);
        link(i, cell);
    }

    /** The cell of host {@code i} (class, row, column as one index). */
    private int cell(int i, double cpuUsed, double memUsed) {
        int c = classOf[i];
        return (c * G + level(1 - cpuUsed / classCpu[c])) * G + level(1 - memUsed / classMem[c]);
    }

    /**
     * The row or column of a free fraction: {@code floor(sqrt(free) x G)} within {@code [0, G-1]}, so levels are finest
     * where hosts are nearly full (level {@code l} spans {@code [edge(l), edge(l+1))}, {@code (2l+1)/G^2} wide).
     */
    static int level(double free) {
        return free <= 0 ? 0 : (int) Math.min(G - 1, Math.sqrt(free) * G);
    }

    /** The least free fraction of level {@code l} (0 for level 0, whose hosts may be overcommitted). */
    static double edge(int l) {
        return (double) l * l / ((double) G * G);
    }

    private void link(int i, int cell) {
        int first = head[cell];
        next[i] = first;
        prev[i] = -1;
        if (first >= 0) prev[first] = i;
        head[cell] = i;
        cellOf[i] = cell;
        rows[cell / G] |= 1L << (cell % G);
    }

    private void unlink(int i) {
        int cell = cellOf[i];
        if (prev[i] >= 0) next[prev[i]] = next[i];
        else head[cell] = next[i];
        if (next[i] >= 0) prev[next[i]] = prev[i];
        if (head[cell] < 0) rows[cell / G] &= ~(1L << (cell % G));
    }

    /** A walk for one demand; reusable (call {@link #start} again). */
    final class Cursor {
        private final int[] row0 = new int[Math.max(1, classes)], col0 = new int[Math.max(1, classes)];
        private final int[] from = new int[Math.max(1, classes) * G];
        private final double[] inc = new double[Math.max(1, classes)];
        private int at = -1, cells;
        private double cellBound = Double.NEGATIVE_INFINITY, cellSlack;

        /** Positions the walk before the cells that could hold a host with room for {@code vcpus} and {@code memory}. */
        void start(double vcpus, double memory) {
            for (int c = 0; c < classes; c++) {
                inc[c] = (vcpus / classCpu[c] + memory / classMem[c]) / 2;
                // a host with room has free fractions >= the demand's: no row or column below these holds one
                row0[c] = vcpus > classCpu[c] ? G : level(vcpus / classCpu[c]);
                col0[c] = memory > classMem[c] ? G : level(memory / classMem[c]);
                Arrays.fill(from, c * G, c * G + G, col0[c]);
            }
            at = -1;
            cells = 0;
            cellBound = Double.NEGATIVE_INFINITY;
        }

        /** How many cells the walk has entered: the host {@link #next} last returned is in cell number {@code cells()}. */
        int cells() {
            return cells;
        }

        /** The next host, in non-increasing order of its cell's bound; -1 when every cell was visited. */
        int next() {
            if (at >= 0) at = FullnessIndex.this.next[at];
            while (at < 0) {
                if (!nextCell()) return -1;
            }
            return at;
        }

        /**
         * An upper bound of the binpack score (before its cap at 1) of the host {@link #next} last returned and of every
         * host not yet visited. {@code -infinity} before the first.
         */
        double bound() {
            return cellBound;
        }

        /** How far below {@link #bound()} the host {@link #next} last returned may score (its cell's width); at most 1/32. */
        double slack() {
            return cellSlack;
        }

        private boolean nextCell() {
            int bestC = -1, bestRow = -1, bestCol = -1;
            double top = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double firstCol = edge(col0[c]);
                for (int i = row0[c]; i < G; i++) {
                    if (1 - (edge(i) + firstCol) / 2 + inc[c] <= top) break; // later rows are emptier still
                    int j = from[c * G + i];
                    if (j >= G) continue;
                    long bits = rows[c * G + i] & (-1L << j);
                    if (bits == 0) {
                        from[c * G + i] = G;
                        continue;
                    }
                    j = Long.numberOfTrailingZeros(bits);
                    double b = 1 - (edge(i) + edge(j)) / 2 + inc[c];
                    if (b > top) {
                        top = b;
                        bestC = c;
                        bestRow = i;
                        bestCol = j;
                    }
                }
            }
            if (bestC < 0) return false;
            from[bestC * G + bestRow] = bestCol + 1;
            cells++;
            cellBound = top;
            cellSlack = (edge(bestRow + 1) - edge(bestRow) + edge(bestCol + 1) - edge(bestCol)) / 2;
            at = head[(bestC * G + bestRow) * G + bestCol];
            return true;
        }
    }
}
