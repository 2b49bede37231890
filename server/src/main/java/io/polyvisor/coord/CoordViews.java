package io.polyvisor.coord;

import io.polyvisor.api.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the coordination routes return. */
final class CoordViews {
    private CoordViews() {}

    /**
     * One key. From a watch, {@code revision} greater than the {@code index} asked means it changed; a deleted key then
     * comes back with {@code deleted} true and no value.
     *
     * @param revision the group revision of the key's last write; 0 for a key never written
     */
    record KvView(String key, @Nullable String value, long revision, boolean deleted) {}

    /**
     * Live keys under a prefix.
     *
     * @param project  the group's project (a group is the VMs of one project labelled {@code group=NAME})
     * @param revision the group's revision when read: the {@code index} for the next watch
     */
    record KvListView(String group, String project, long revision, List<KvView> entries) {}

    /**
     * A lease. {@code token} is the fencing token: it strictly increases per lease name across holders.
     *
     * @param holder    the holding VM's name, absent when free
     * @param expiresAt when it lapses unless renewed, absent when free
     */
    record LeaseView(String group, String project, String name, @Nullable String holder, long token, int ttlS, @Nullable Instant expiresAt) {}

    /**
     * What a guest learns about itself.
     *
     * @param addresses its addresses on private networks, in NIC order (user-mode NICs have none)
     * @param userData  what an operator set for it ({@code PUT /api/v1/vms/{ref}/user-data}), null when nothing is
     */
    record SelfView(String id, String name, String project, String group, @Nullable String host, String state, Map<String, String> labels,
                    List<io.polyvisor.coordination.Membership.NetAddress> addresses, @Nullable String userData) {}

    /**
     * A group's members.
     *
     * @param index the membership version: pass it back with {@code wait} to hear of the next change
     */
    record PeersView(String group, String project, String index, List<io.polyvisor.coordination.Membership.Peer> peers) {}

    /**
     * One message of a topic.
     *
     * @param from the sending VM's name, absent for an operator
     */
    record MessageView(long seq, @Nullable String from, String body, Instant at) {}

    /**
     * Messages of a topic after a seq.
     *
     * @param firstSeq the oldest seq the topic still keeps (older ones were dropped: a topic keeps its newest 1,000)
     * @param lastSeq  the seq to pass back as {@code after} next time
     */
    record MessagesView(String group, String project, String topic, long firstSeq, long lastSeq, List<MessageView> messages) {}

    /** A freshly minted coordination token: shown this once, stored only hashed. */
    record CoordTokenView(String vm, String token) {}
}
