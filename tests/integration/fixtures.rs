//! Schemas the suites build on.

/// A small business schema with every kind of object discovery must report.
pub const SHOP: &str = r#"
CREATE SCHEMA shop;
CREATE TYPE shop.order_status AS ENUM ('open', 'paid', 'shipped', 'cancelled');
CREATE DOMAIN shop.email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE shop.tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE shop.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES shop.tenants (id),
    email shop.email NOT NULL,
    tags text[],
    scores integer[] DEFAULT '{}',
    profile jsonb,
    raw json,
    custom_region text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);
COMMENT ON TABLE shop.customers IS 'people who buy';
COMMENT ON COLUMN shop.customers.email IS 'login e-mail';
CREATE TABLE shop.orders (
    id bigint NOT NULL,
    tenant_id bigint NOT NULL REFERENCES shop.tenants (id),
    customer_id bigint REFERENCES shop.customers (id),
    status shop.order_status NOT NULL DEFAULT 'open',
    total numeric(12, 2),
    placed_at timestamptz NOT NULL,
    PRIMARY KEY (id, placed_at)
) PARTITION BY RANGE (placed_at);
CREATE TABLE shop.orders_2025 PARTITION OF shop.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shop.orders_2026 PARTITION OF shop.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX customers_lower_email_idx ON shop.customers (lower(email));
CREATE INDEX customers_region_partial_idx ON shop.customers (custom_region) INCLUDE (email) WHERE custom_region IS NOT NULL;
CREATE VIEW shop.open_orders AS SELECT id, tenant_id, total FROM shop.orders WHERE status = 'open';
CREATE MATERIALIZED VIEW shop.revenue AS SELECT tenant_id, sum(total) AS total FROM shop.orders GROUP BY tenant_id;
INSERT INTO shop.tenants SELECT g, 'tenant ' || g FROM generate_series(1, 5) g;
INSERT INTO shop.customers (tenant_id, email, custom_region)
    SELECT 1 + (g % 5), 'c' || g || '@example.com', CASE WHEN g % 3 = 0 THEN 'eu' END FROM generate_series(1, 300) g;
INSERT INTO shop.orders SELECT g, 1 + (g % 5), 1 + (g % 300), 'paid', g, '2025-06-01'::timestamptz + g * interval '1 day' FROM generate_series(1, 400) g;
ANALYZE;
"#;
