-- The contact of a real deal (every deal has one), so the lookup finds something.
\set did random(1, :deals)
SELECT contact_id AS cid FROM crm.deals WHERE id = :did \gset
SELECT id, name, stage, amount FROM crm.deals WHERE contact_id = :cid ORDER BY created_at DESC;
