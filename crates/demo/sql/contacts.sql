-- The people a tenant talks to (~120,000 at scale 1), with per-tenant custom fields: the
-- `custom_*` columns and the jsonb `custom_attributes` (see dataset::custom_fields).
-- Lifecycle statuses are uneven, 3% are soft-deleted, newer contacts are denser.
CREATE TABLE crm.contacts (
    id                bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id         bigint NOT NULL,
    org_id            bigint,
    owner_id          bigint,
    email             text NOT NULL,
    first_name        text NOT NULL,
    last_name         text NOT NULL,
    phone             text,
    lifecycle_status  crm.lifecycle_status NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    last_contacted_at timestamptz,
    deleted_at        timestamptz,
    custom_linkedin   text,
    custom_region     text,
    custom_attributes jsonb NOT NULL DEFAULT '{}'
);

CREATE TEMP TABLE user_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id
FROM crm.users;
CREATE TEMP TABLE org_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id
FROM crm.organisations;
-- Statistics on the helpers let the planner hash-join them instead of sorting every row.
ANALYZE user_pick, org_pick;

WITH g AS MATERIALIZED (
    SELECT s.tenant_id, n,
           1 + floor(random() * s.users)::int AS user_rn,
           1 + floor(random() * s.organisations)::int AS org_rn,
           1 + floor(random() * 40)::int AS first_i,
           1 + floor(random() * 30)::int AS last_i,
           now() - s.age * power(random(), 2) AS created_at,
           random() AS r1, random() AS r2, random() AS r3
    FROM load_share s
    CROSS JOIN LATERAL generate_series(1, s.contacts) AS n
), named AS (
    SELECT g.*,
           (ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Ines',
                  'Jack', 'Karim', 'Lea', 'Marc', 'Nina', 'Oscar', 'Paula', 'Quentin', 'Rosa',
                  'Sofia', 'Tom', 'Ugo', 'Vera', 'Will', 'Xena', 'Yann', 'Zoe', 'Amir', 'Bella',
                  'Carlos', 'Dana', 'Eli', 'Fatima', 'Gabriel', 'Hana', 'Ivan', 'Julia', 'Kenji',
                  'Lina', 'Mateo', 'Noor'])[g.first_i] AS first_name,
           (ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit',
                  'Durand', 'Leroy', 'Moreau', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones',
                  'Garcia', 'Miller', 'Davis', 'Muller', 'Schmidt', 'Schneider', 'Fischer',
                  'Rossi', 'Russo', 'Ferrari', 'Tanaka', 'Suzuki', 'Silva', 'Santos', 'Khan'])
               [g.last_i] AS last_name
    FROM g
)
INSERT INTO crm.contacts
    (tenant_id, org_id, owner_id, email, first_name, last_name, phone, lifecycle_status,
     created_at, updated_at, last_contacted_at, deleted_at, custom_linkedin, custom_region,
     custom_attributes)
SELECT c.tenant_id,
       CASE WHEN c.r1 < 0.85 THEN o.id END,
       CASE WHEN c.r2 < 0.9 THEN u.id END,
       lower(c.first_name || '.' || c.last_name || c.n) || '@'
           || (ARRAY['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'acme.io', 'corp.example'])
              [1 + c.n % 6],
       c.first_name,
       c.last_name,
       CASE WHEN c.r3 < 0.7 THEN '+33 6 ' || lpad((c.n * 7919 % 100000000)::text, 8, '0') END,
       CASE WHEN c.r1 < 0.35 THEN 'subscriber' WHEN c.r1 < 0.60 THEN 'lead'
            WHEN c.r1 < 0.72 THEN 'marketing_qualified' WHEN c.r1 < 0.80 THEN 'sales_qualified'
            WHEN c.r1 < 0.86 THEN 'opportunity' WHEN c.r1 < 0.96 THEN 'customer'
            WHEN c.r1 < 0.97 THEN 'evangelist' ELSE 'churned' END::crm.lifecycle_status,
       c.created_at,
       c.created_at + (now() - c.created_at) * c.r2,
       CASE WHEN c.r3 < 0.6 THEN c.created_at + (now() - c.created_at) * c.r3 END,
       CASE WHEN c.r2 > 0.97 THEN c.created_at + (now() - c.created_at) * c.r3 END,
       CASE WHEN c.r3 < 0.4 THEN 'https://www.linkedin.com/in/'
           || lower(c.first_name || '-' || c.last_name) || '-' || c.n END,
       CASE WHEN c.r2 < 0.45 THEN 'EMEA' WHEN c.r2 < 0.70 THEN 'NA' WHEN c.r2 < 0.80 THEN 'APAC'
            WHEN c.r2 < 0.85 THEN 'LATAM' END,
       jsonb_strip_nulls(jsonb_build_object(
           'source', (ARRAY['website', 'referral', 'event', 'import', 'ads', 'partner'])
                     [1 + floor(c.r3 * c.r3 * 6)::int],
           'tier', CASE WHEN c.r1 < 0.5 THEN 'bronze' WHEN c.r1 < 0.85 THEN 'silver' ELSE 'gold' END,
           'newsletter', CASE WHEN c.r2 < 0.5 THEN c.r3 < 0.7 END,
           'score', CASE WHEN c.r1 > 0.6 THEN floor(c.r3 * 100)::int END))
FROM named c
JOIN user_pick u ON u.tenant_id = c.tenant_id AND u.rn = c.user_rn
JOIN org_pick o ON o.tenant_id = c.tenant_id AND o.rn = c.org_rn
ORDER BY c.created_at;

ALTER TABLE crm.contacts ADD PRIMARY KEY (id);
