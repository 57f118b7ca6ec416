-- 40% of contacts have a LinkedIn URL; for the others the application looks up a URL that
-- does not exist, as it does.
\set cid random(1, :contacts)
SELECT tenant_id AS tid, coalesce(custom_linkedin, 'https://www.linkedin.com/in/unknown-' || id) AS url FROM crm.contacts WHERE id = :cid \gset
SELECT id, email FROM crm.contacts WHERE tenant_id = :tid AND custom_linkedin = :url;
