-- Messages between the members of a coordination group (docs/COORDINATION.md): per topic, seq 1, 2, 3, ... assigned
-- under the group's row lock (coord_groups), the newest 1,000 per topic kept.
CREATE TABLE coord_messages (
    group_name VARCHAR(63)  NOT NULL,
    topic      VARCHAR(63)  NOT NULL,
    seq        BIGINT       NOT NULL,
    sender     VARCHAR(63),
    body       VARCHAR      NOT NULL,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT coord_messages_pk PRIMARY KEY (group_name, topic, seq)
);
