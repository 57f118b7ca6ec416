-- The largest table (~1,000,000 rows at scale 1): the timeline of emails, calls, meetings and
-- tasks. 60% are attached to a deal (and then to that deal's contact), the rest to a contact
-- only. Almost everything older than two months is done; open items are recent and few.
CREATE TABLE crm.activities (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id   bigint NOT NULL,
    type        crm.activity_type NOT NULL,
    subject     text NOT NULL,
    note        text,
    occurred_at timestamptz NOT NULL,
    due_at      timestamptz,
    done        boolean NOT NULL,
    deal_id     bigint,
    contact_id  bigint,
    owner_id    bigint
);

CREATE TEMP TABLE user_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id
FROM crm.users;
CREATE TEMP TABLE contact_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id
FROM crm.contacts;
CREATE TEMP TABLE deal_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id, contact_id
FROM crm.deals;
-- Statistics on the helpers let the planner hash-join them instead of sorting every row.
ANALYZE user_pick, contact_pick, deal_pick;

WITH g AS MATERIALIZED (
    SELECT s.tenant_id,
           1 + floor(random() * s.users)::int AS user_rn,
           1 + floor(random() * s.contacts)::int AS contact_rn,
           1 + floor(random() * s.deals)::int AS deal_rn,
           now() - s.age * power(random(), 1.6) + interval '1 day' AS occurred_at,
           random() AS r1, random() AS r2, random() AS r3
    FROM load_share s
    CROSS JOIN LATERAL generate_series(1, s.activities)
), typed AS (
    SELECT g.*,
           CASE WHEN g.r1 < 0.40 THEN 'email' WHEN g.r1 < 0.65 THEN 'call'
                WHEN g.r1 < 0.75 THEN 'meeting' WHEN g.r1 < 0.90 THEN 'task' ELSE 'note'
           END::crm.activity_type AS type
    FROM g
)
INSERT INTO crm.activities
    (tenant_id, type, subject, note, occurred_at, due_at, done, deal_id, contact_id, owner_id)
SELECT a.tenant_id,
       a.type,
       (ARRAY['Intro', 'Follow-up', 'Demo', 'Pricing', 'Contract review', 'Check-in',
              'Onboarding', 'Renewal', 'Escalation', 'Quarterly review'])[1 + floor(a.r2 * 10)::int]
           || ' ' || a.type,
       CASE WHEN a.r3 < 0.4 THEN
           (ARRAY['Discussed budget', 'Sent the deck', 'Asked for references', 'Needs legal review',
                  'Wants a discount', 'Champion is leaving'])[1 + floor(a.r3 * 15)::int]
           || '; next step: '
           || (ARRAY['call back', 'send proposal', 'book demo', 'wait'])[1 + floor(a.r2 * 4)::int]
       END,
       a.occurred_at,
       CASE WHEN a.type IN ('task', 'meeting') THEN a.occurred_at + a.r2 * interval '14 days' END,
       CASE WHEN a.occurred_at > now() THEN false
            WHEN a.occurred_at < now() - interval '60 days' THEN a.r3 < 0.995
            ELSE a.r3 < 0.75 END,
       CASE WHEN a.r2 < 0.6 THEN d.id END,
       CASE WHEN a.r2 < 0.6 THEN d.contact_id ELSE c.id END,
       CASE WHEN a.r3 < 0.97 THEN u.id END
FROM typed a
JOIN user_pick u ON u.tenant_id = a.tenant_id AND u.rn = a.user_rn
JOIN contact_pick c ON c.tenant_id = a.tenant_id AND c.rn = a.contact_rn
JOIN deal_pick d ON d.tenant_id = a.tenant_id AND d.rn = a.deal_rn
ORDER BY a.occurred_at;

ALTER TABLE crm.activities ADD PRIMARY KEY (id);
