\set oid random(1, :organisations)
SELECT coalesce(sum(amount), 0) FROM crm.deals WHERE org_id = :oid AND stage = 'closed_won';
