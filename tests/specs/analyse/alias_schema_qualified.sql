-- Schema-qualified table and column references.
SELECT crm.contacts.email FROM crm.contacts WHERE contacts.account_id = $1 AND crm.contacts.stage = 'lead'
