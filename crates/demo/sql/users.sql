-- The tenants' own staff: owners of contacts, deals and activities (~600 at scale 1).
CREATE TABLE crm.users (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id  bigint NOT NULL,
    email      text NOT NULL,
    full_name  text NOT NULL,
    role       crm.user_role NOT NULL,
    active     boolean NOT NULL,
    created_at timestamptz NOT NULL
);

INSERT INTO crm.users (tenant_id, email, full_name, role, active, created_at)
SELECT s.tenant_id,
       'user' || g.n || '.t' || s.tenant_id || '@example.com',
       (ARRAY['Alex', 'Sam', 'Robin', 'Kim', 'Jordan', 'Charlie', 'Morgan', 'Taylor'])
           [1 + (g.n - 1) % 8] || ' ' || (ARRAY['Martin', 'Bernard', 'Dubois', 'Smith', 'Garcia'])
           [1 + (g.n - 1) % 5],
       CASE WHEN g.n = 1 THEN 'admin' WHEN random() < 0.8 THEN 'sales' ELSE 'support' END::crm.user_role,
       random() < 0.9,
       now() - s.age * random()
FROM load_share s
CROSS JOIN LATERAL generate_series(1, s.users) AS g(n)
ORDER BY 6;

ALTER TABLE crm.users ADD PRIMARY KEY (id);
