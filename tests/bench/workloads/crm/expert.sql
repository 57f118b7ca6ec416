-- Secondary indexes an experienced DBA would add for the CRM workload (scripts/*.sql).
-- Each comment names the statements the index serves. Left out on purpose: anything the
-- primary keys already cover (contact_by_id, contacts_by_ids, the updates' WHERE id = ...),
-- and the tiny tenants/users tables.
-- Writes: log_activity pays for up to four activities indexes on every insert;
-- touch_contact only sets columns no index contains, so its updates can stay HOT;
-- complete_activity rarely changes a row (most activities are already done).

-- contact_by_email (tenant_id = AND email =). contact_search_prefix also walks it in
-- email order for some tenants, when it expects to meet 20 matches early.
CREATE INDEX contacts_tenant_email ON crm.contacts (tenant_id, email);

-- contact_search_prefix: lower(email) LIKE 'abc%' becomes a range on the expression in the
-- C collation; the few matches are then sorted by email.
CREATE INDEX contacts_tenant_lower_email ON crm.contacts (tenant_id, lower(email));

-- contacts_by_source: equality, equality on the jsonb key, then the ORDER BY read backwards.
-- The expression also gets statistics: without them the planner guesses 0.5% of rows and
-- prefers a bitmap scan of the whole tenant plus a sort.
CREATE INDEX contacts_tenant_source_created ON crm.contacts (tenant_id, (custom_attributes ->> 'source'), created_at);

-- unassigned_contacts: the ~10% of contacts without an owner, newest first. owner_id is
-- never updated by the workload, so rows do not move in and out of the index.
CREATE INDEX contacts_unassigned ON crm.contacts (tenant_id, created_at) WHERE owner_id IS NULL AND deleted_at IS NULL;

-- count_contacts_by_region: three equalities.
CREATE INDEX contacts_tenant_region_status ON crm.contacts (tenant_id, custom_region, lifecycle_status);

-- contact_by_linkedin: the URL alone is selective; 60% of contacts have none, and
-- `custom_linkedin = $1` implies the partial predicate.
CREATE INDEX contacts_linkedin ON crm.contacts (custom_linkedin) WHERE custom_linkedin IS NOT NULL;

-- organisation_contacts (also the organisations foreign key).
CREATE INDEX contacts_org ON crm.contacts (org_id);

-- deals_by_stage (equality, equality, sort), deal_count_per_stage and pipeline_board
-- (tenant prefix / stage IN list), deals_closing_soon (tenant prefix, close_date checked
-- in the index). Indexing stage makes move_deal_stage non-HOT; the reads are worth it.
CREATE INDEX deals_tenant_stage_close ON crm.deals (tenant_id, stage, close_date);

-- contact_deals (also the contacts foreign key).
CREATE INDEX deals_contact ON crm.deals (contact_id);

-- organisation_revenue (also the organisations foreign key).
CREATE INDEX deals_org ON crm.deals (org_id);

-- deal_timeline: equality then the ORDER BY (a deal has ~10 activities, so the planner
-- may as well fetch and sort them). 40% of activities have no deal: they stay out of the
-- index and cost nothing on insert.
CREATE INDEX activities_deal_occurred ON crm.activities (deal_id, occurred_at) WHERE deal_id IS NOT NULL;

-- contact_timeline.
CREATE INDEX activities_contact_occurred ON crm.activities (contact_id, occurred_at);

-- tenant_recent_activities: equality then the range, which is also the ORDER BY.
CREATE INDEX activities_tenant_occurred ON crm.activities (tenant_id, occurred_at);

-- overdue_tasks (tenant, owner, due_at range and sort) and open_activity_counts (tenant
-- prefix): only ~5% of activities are open, so the partial index is small. The few
-- complete_activity updates that close a task leave it (and are not HOT).
CREATE INDEX activities_open_owner_due ON crm.activities (tenant_id, owner_id, due_at) WHERE NOT done;
