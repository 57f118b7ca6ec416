-- An activity on a real deal and its contact, owned by the deal's owner (the tenant's first
-- user when the deal has none). pgbench cannot bind NULL, so the 60% of activities logged
-- without a note get an empty one.
\set did random(1, :deals)
\set k random(1, 5)
\set n random(1, 10)
SELECT d.tenant_id AS tid, d.contact_id AS cid, coalesce(d.owner_id, (SELECT min(u.id) FROM crm.users u WHERE u.tenant_id = d.tenant_id)) AS uid, k.kind, 'Follow-up ' || k.kind AS subject, CASE WHEN :n <= 4 THEN 'Logged from the app' ELSE '' END AS note, k.kind <> 'task' AS done FROM crm.deals d, (SELECT (ARRAY['email', 'call', 'meeting', 'task', 'note'])[:k] AS kind) k WHERE d.id = :did \gset
INSERT INTO crm.activities (tenant_id, type, subject, note, occurred_at, done, deal_id, contact_id, owner_id) VALUES (:tid, :kind::crm.activity_type, :subject, :note, now(), :done, :did, :cid, :uid) RETURNING id;
