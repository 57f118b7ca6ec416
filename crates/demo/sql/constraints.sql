-- Foreign keys are added after the data is in: validating each one is a single join instead
-- of one trigger call per inserted row. They reference primary keys only, and on purpose no
-- index is created on the referencing columns (tenant_id, org_id, deal_id, ...): finding those
-- is the advisor's job.
ALTER TABLE crm.users
    ADD FOREIGN KEY (tenant_id) REFERENCES crm.tenants (id);
ALTER TABLE crm.organisations
    ADD FOREIGN KEY (tenant_id) REFERENCES crm.tenants (id),
    ADD FOREIGN KEY (owner_id) REFERENCES crm.users (id);
ALTER TABLE crm.contacts
    ADD FOREIGN KEY (tenant_id) REFERENCES crm.tenants (id),
    ADD FOREIGN KEY (org_id) REFERENCES crm.organisations (id),
    ADD FOREIGN KEY (owner_id) REFERENCES crm.users (id);
ALTER TABLE crm.deals
    ADD FOREIGN KEY (tenant_id) REFERENCES crm.tenants (id),
    ADD FOREIGN KEY (contact_id) REFERENCES crm.contacts (id),
    ADD FOREIGN KEY (org_id) REFERENCES crm.organisations (id),
    ADD FOREIGN KEY (owner_id) REFERENCES crm.users (id);
ALTER TABLE crm.activities
    ADD FOREIGN KEY (tenant_id) REFERENCES crm.tenants (id),
    ADD FOREIGN KEY (deal_id) REFERENCES crm.deals (id),
    ADD FOREIGN KEY (contact_id) REFERENCES crm.contacts (id),
    ADD FOREIGN KEY (owner_id) REFERENCES crm.users (id);
