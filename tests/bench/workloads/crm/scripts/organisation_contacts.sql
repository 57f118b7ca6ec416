-- Organisation ids are dense, and tenants own organisations in proportion to their size.
\set oid random(1, :organisations)
SELECT id, email, first_name, last_name FROM crm.contacts WHERE org_id = :oid AND deleted_at IS NULL ORDER BY last_name, first_name;
