-- The companies a tenant sells to (~20,000 at scale 1).
CREATE TABLE crm.organisations (
    id             bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id      bigint NOT NULL,
    owner_id       bigint,
    name           text NOT NULL,
    domain         text,
    industry       text,
    employee_count integer,
    country        text,
    created_at     timestamptz NOT NULL
);

-- Owners are picked by per-tenant row number: a random number joined to a materialised
-- numbering, because PostgreSQL cannot hash-join on a volatile expression such as random().
CREATE TEMP TABLE user_pick ON COMMIT DROP AS
SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn, id
FROM crm.users;
-- Statistics on the helpers let the planner hash-join them instead of sorting every row.
ANALYZE user_pick;

WITH g AS MATERIALIZED (
    SELECT s.tenant_id, n,
           1 + floor(random() * s.users)::int AS user_rn,
           now() - s.age * power(random(), 1.5) AS created_at,
           random() AS r
    FROM load_share s
    CROSS JOIN LATERAL generate_series(1, s.organisations) AS n
)
INSERT INTO crm.organisations
    (tenant_id, owner_id, name, domain, industry, employee_count, country, created_at)
SELECT g.tenant_id,
       CASE WHEN g.r < 0.9 THEN u.id END,
       (ARRAY['Blue', 'Red', 'Quantum', 'Silver', 'Nova', 'Apex', 'Lunar', 'Pioneer', 'Cedar', 'Atlas'])
           [1 + g.n % 10] || ' '
       || (ARRAY['Labs', 'Systems', 'Partners', 'Group', 'Foods', 'Media', 'Works'])[1 + g.n % 7]
       || ' ' || g.n,
       CASE WHEN g.r < 0.8 THEN 'org' || g.n || '-t' || g.tenant_id || '.example.com' END,
       (ARRAY['software', 'retail', 'finance', 'health', 'manufacturing', 'education', NULL])
           [1 + floor(g.r * 7)::int],
       CASE WHEN g.r < 0.7 THEN floor(exp(random() * 9))::int END,
       (ARRAY['FR', 'DE', 'GB', 'US', 'US', 'US', 'ES', 'IT', 'NL', 'JP', 'BR', 'IN'])
           [1 + floor(random() * 12)::int],
       g.created_at
FROM g
JOIN user_pick u ON u.tenant_id = g.tenant_id AND u.rn = g.user_rn
ORDER BY g.created_at;

ALTER TABLE crm.organisations ADD PRIMARY KEY (id);
