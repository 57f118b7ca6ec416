-- Run at the start of every per-tenant table load. Each tenant's share of every business
-- table follows a Zipf-like law (weight = rank^-1.2) over a size rank that is deliberately not
-- the id order (17 is coprime with 40, so this is a permutation): a couple of huge tenants, a
-- long tail of tiny ones, scattered through the id range. `age` bounds how old its data is.
--
-- A table's rows for one tenant = its full-scale total x the `indexpilot.scale` setting x
-- the tenant's share, at least one so every tenant has some of everything. The counts are
-- computed once here: evaluated per generated row they dominated the load time.
CREATE TEMP TABLE load_share ON COMMIT DROP AS
WITH weighted AS (
    SELECT t.id AS tenant_id,
           power(((t.id - 1) * 17 % 40) + 1, -1.2) AS weight,
           now() - t.created_at AS age
    FROM crm.tenants t
), shared AS (
    SELECT tenant_id, age,
           weight / sum(weight) OVER () * current_setting('indexpilot.scale')::float8 AS f
    FROM weighted
)
SELECT tenant_id, age,
       greatest(1, round(600 * f))::int AS users,
       greatest(1, round(20000 * f))::int AS organisations,
       greatest(1, round(120000 * f))::int AS contacts,
       greatest(1, round(60000 * f))::int AS deals,
       greatest(1, round(1000000 * f))::int AS activities
FROM shared;
ANALYZE load_share;
