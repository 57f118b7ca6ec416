-- Sales opportunities (~60,000 at scale 1). Old deals are almost all closed, recent ones
-- mostly open; amounts are log-normal-ish; 2% are soft-deleted.
CREATE TABLE crm.deals (
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id          bigint NOT NULL,
    contact_id         bigint,
    org_id             bigint,
    owner_id           bigint,
    name               text NOT NULL,
    amount             numeric(12, 2) NOT NULL,
    currency           char(3) NOT NULL,
    stage              crm.deal_stage NOT NULL,
    close_date         date,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz,
    custom_probability integer,
    custom_source      text
);

CREATE TEMP TABLE user_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id
FROM crm.users;
CREATE TEMP TABLE contact_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id, org_id
FROM crm.contacts;
-- Statistics on the helpers let the planner hash-join them instead of sorting every row.
ANALYZE user_pick, contact_pick;

WITH g AS MATERIALIZED (
    SELECT s.tenant_id, n,
           1 + floor(random() * s.users)::int AS user_rn,
           1 + floor(random() * s.contacts)::int AS contact_rn,
           now() - s.age * power(random(), 2) AS created_at,
           random() AS r1, random() AS r2
    FROM load_share s
    CROSS JOIN LATERAL generate_series(1, s.deals) AS n
), staged AS (
    SELECT g.*,
           -- Deals older than ~4 months are closed; younger ones spread over the open stages.
           CASE WHEN g.created_at < now() - interval '120 days' THEN
                    CASE WHEN g.r1 < 0.42 THEN 'closed_won' ELSE 'closed_lost' END
                WHEN g.r1 < 0.30 THEN 'prospecting' WHEN g.r1 < 0.50 THEN 'qualification'
                WHEN g.r1 < 0.65 THEN 'proposal' WHEN g.r1 < 0.75 THEN 'negotiation'
                WHEN g.r1 < 0.88 THEN 'closed_lost' ELSE 'closed_won'
           END::crm.deal_stage AS stage
    FROM g
)
INSERT INTO crm.deals
    (tenant_id, contact_id, org_id, owner_id, name, amount, currency, stage, close_date,
     created_at, updated_at, deleted_at, custom_probability, custom_source)
SELECT d.tenant_id,
       c.id,
       c.org_id,
       CASE WHEN d.r2 < 0.95 THEN u.id END,
       (ARRAY['Renewal', 'New business', 'Upsell', 'Pilot', 'Expansion', 'Migration'])
           [1 + d.n % 6] || ' #' || d.n,
       round((exp(6 + d.r2 * 5) * (0.5 + d.r1))::numeric, 2),
       CASE WHEN d.r2 < 0.7 THEN 'EUR' WHEN d.r2 < 0.95 THEN 'USD' ELSE 'GBP' END,
       d.stage,
       CASE WHEN d.stage IN ('closed_won', 'closed_lost')
                THEN (d.created_at + (now() - d.created_at) * d.r2 * 0.5)::date
            WHEN d.r2 < 0.9 THEN (now() + d.r2 * interval '180 days')::date
       END,
       d.created_at,
       d.created_at + (now() - d.created_at) * d.r2,
       CASE WHEN d.r1 > 0.98 THEN d.created_at + (now() - d.created_at) * d.r2 END,
       CASE WHEN d.stage = 'closed_won' THEN 100 WHEN d.stage = 'closed_lost' THEN 0
            WHEN d.r2 < 0.8 THEN (array_position(enum_range(NULL::crm.deal_stage), d.stage) * 20
                                  - floor(d.r2 * 10))::int END,
       (ARRAY['inbound', 'outbound', 'partner', 'event', NULL])[1 + floor(d.r2 * 5)::int]
FROM staged d
JOIN user_pick u ON u.tenant_id = d.tenant_id AND u.rn = d.user_rn
JOIN contact_pick c ON c.tenant_id = d.tenant_id AND c.rn = d.contact_rn
ORDER BY d.created_at;

ALTER TABLE crm.deals ADD PRIMARY KEY (id);
