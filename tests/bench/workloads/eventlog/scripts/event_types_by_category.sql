-- Trap: the alert-rule editor lists the security and admin event types: 8 of the 21 rows
-- of a one-page table, where a sequential scan and a sort beat any index.
SELECT code, category, severity, description FROM eventlog.event_types WHERE category IN ('security', 'admin') ORDER BY code;
