-- The demo CRM lives in its own schema so it can sit next to anything else and be dropped in
-- one statement. Only the enum types are created here; every table is created in the same
-- transaction that fills it (see dataset.rs for why).
CREATE SCHEMA crm;

CREATE TYPE crm.plan AS ENUM ('free', 'starter', 'growth', 'enterprise');
CREATE TYPE crm.user_role AS ENUM ('admin', 'sales', 'support');
CREATE TYPE crm.lifecycle_status AS ENUM (
    'subscriber', 'lead', 'marketing_qualified', 'sales_qualified',
    'opportunity', 'customer', 'evangelist', 'churned');
CREATE TYPE crm.deal_stage AS ENUM (
    'prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost');
CREATE TYPE crm.activity_type AS ENUM ('email', 'call', 'meeting', 'task', 'note');
