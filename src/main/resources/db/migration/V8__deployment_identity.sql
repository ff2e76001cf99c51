-- The deployment this database belongs to. A Kafka cluster can outlive a database (a recreated or
-- restored one) or be shared by several (staging, a second deployment): the relay's position key
-- and transactional.id carry this identity and the target topic, so that a new database never
-- continues after another one's position and two deployments never fence each other
-- (docs/architecture.md, "A deployment identity, kept in the database").
--
-- Created here, once per database: Flyway runs a migration exactly once, under its own lock, so
-- instances starting at once cannot create two. gen_random_uuid() is built into PostgreSQL 13+
-- and H2 2.x. A copy of the database (a restore, a staging copy) keeps the identity: it IS the
-- same deployment, and the relay notices when its position is ahead of the copy.
CREATE TABLE deployment (
    id            INTEGER NOT NULL,
    deployment_id VARCHAR(36) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT deployment_pk PRIMARY KEY (id),
    CONSTRAINT deployment_one_row_ck CHECK (id = 1)
);
INSERT INTO deployment (id, deployment_id, created_at)
VALUES (1, CAST(gen_random_uuid() AS VARCHAR(36)), CURRENT_TIMESTAMP);

-- position_key: the Kafka position key ("<deployment_id>/<topic>") that published_seq mirrors; NULL
-- for rows of earlier versions, which are taken as the current pair's (an upgrade continues).
-- stalled_position: set while the relay refuses to publish the feed because the position in Kafka
-- is not in this database (restored behind it); kept here so that a restart or another instance
-- does not forget it. resume_requested_at: an operator asked to resume (POST
-- /actuator/relay/{feed}/resume); the feed's publisher acts on it and clears both.
ALTER TABLE relay_position ADD COLUMN position_key VARCHAR(300);
ALTER TABLE relay_position ADD COLUMN stalled_position BIGINT;
ALTER TABLE relay_position ADD COLUMN resume_requested_at TIMESTAMP WITH TIME ZONE;
