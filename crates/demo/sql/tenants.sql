-- 40 tenants whatever the scale: the scale changes how much data each one owns, never how
-- many there are, so small test datasets keep the same skew as the full one.
-- Bigger tenants (lower size rank, see share.sql) are older and on bigger plans.
CREATE TABLE crm.tenants (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    name       text NOT NULL,
    plan       crm.plan NOT NULL,
    created_at timestamptz NOT NULL
);

INSERT INTO crm.tenants (name, plan, created_at)
SELECT (ARRAY['Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay'])
           [1 + (i - 1) % 8]
       || ' '
       || (ARRAY['Logistics', 'Health', 'Software', 'Retail', 'Energy'])[1 + (i - 1) / 8],
       CASE WHEN rank <= 3 THEN 'enterprise' WHEN rank <= 10 THEN 'growth'
            WHEN rank <= 25 THEN 'starter' ELSE 'free' END::crm.plan,
       now() - interval '4 years' + rank * interval '21 days'
FROM generate_series(1, 40) AS i
CROSS JOIN LATERAL (SELECT ((i - 1) * 17 % 40) + 1 AS rank) r
ORDER BY i;

ALTER TABLE crm.tenants ADD PRIMARY KEY (id);
