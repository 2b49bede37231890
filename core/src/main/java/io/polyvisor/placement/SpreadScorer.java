package io.polyvisor.placement;

/** The opposite of {@link BinPackScorer}: prefers the emptiest host (spreads load, limits blast radius). */
final class SpreadScorer implements HostScorer {
    static final String NAME = "spread";
    private final BinPackScorer binPack = new BinPackScorer();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(ClusterView v, int h, Demand d) {
        return 1 - binPack.score(v, h, d);
    }
}
