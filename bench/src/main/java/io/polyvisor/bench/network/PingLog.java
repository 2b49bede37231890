package io.polyvisor.bench.network;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What busybox {@code ping} printed inside a guest: the sequence numbers answered with their round-trip times, and
 * how many requests it sent. Pure: parsed from text, no I/O.
 *
 * @param answered    sequence numbers answered, in the order printed
 * @param rttMillis   the round-trip time of each answer, in the same order
 * @param transmitted requests sent, from ping's closing statistics (0 when it printed none)
 */
public record PingLog(List<Integer> answered, List<Double> rttMillis, int transmitted) {
    private static final Pattern REPLY = Pattern.compile("bytes from [0-9.]+: seq=(\\d+) ttl=\\d+ time=([0-9.]+) ms");
    private static final Pattern SENT = Pattern.compile("(\\d+) packets transmitted");

    public PingLog {
        answered = List.copyOf(answered);
        rttMillis = List.copyOf(rttMillis);
        if (answered.size() != rttMillis.size()) throw new IllegalArgumentException("one round-trip time per answer");
    }

    public static PingLog parse(String out) {
        var seqs = new ArrayList<Integer>();
        var rtts = new ArrayList<Double>();
        var m = REPLY.matcher(out);
        while (m.find()) {
            seqs.add(Integer.parseInt(m.group(1)));
            rtts.add(Double.parseDouble(m.group(2)));
        }
        var sent = SENT.matcher(out);
        return new PingLog(seqs, rtts, sent.find() ? Integer.parseInt(sent.group(1)) : 0);
    }

    /** The median round-trip time, in milliseconds. */
    public double medianRttMillis() {
        if (rttMillis.isEmpty()) throw new IllegalStateException("no answer to any ping");
        return Stats.median(rttMillis);
    }

    /**
     * The longest silence the pinging guest saw, in requests: the largest step between two consecutive answered
     * sequence numbers (1 when none was lost). Times the sending interval, it is the time from the last answer before
     * an outage to the first one after it, to within one interval.
     *
     * @throws IllegalStateException if fewer than two requests were answered (no outage can be bounded)
     */
    public int longestGap() {
        if (answered.size() < 2) throw new IllegalStateException("fewer than two pings answered: " + answered);
        var sorted = answered.stream().sorted().distinct().toList();
        int gap = 1;
        for (int i = 1; i < sorted.size(); i++) gap = Math.max(gap, sorted.get(i) - sorted.get(i - 1));
        return gap;
    }
}
