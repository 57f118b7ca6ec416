//! The statements a CRM application runs, with how often it runs each and how it fills the
//! placeholders from sampled values.
//!
//! On the scale-1 dataset every statement returns in a few milliseconds to a few tens of
//! milliseconds, except the ones marked SLOW: each is a sequential scan of the million-row
//! `crm.activities` (~100-150 ms on two cores) that a missing index explains, which is exactly
//! what the advisor should find.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::postgres::PgArguments;
use sqlx::types::chrono::{DateTime, NaiveDate, Utc};
use sqlx::Postgres;

use super::params::Tenant;

pub(crate) type Query = sqlx::query::Query<'static, Postgres, PgArguments>;

/// One parameterised statement of the application.
pub(crate) struct Template {
    /// Stable name, used in reports.
    pub name: &'static str,
    /// Relative frequency.
    pub weight: u32,
    pub sql: &'static str,
    /// Binds `$1..$n` for one execution by a tenant.
    pub bind: fn(Query, &Tenant, &mut StdRng) -> Query,
}

const OPEN_STAGES: [&str; 4] = ["prospecting", "qualification", "proposal", "negotiation"];
const STATUSES: [&str; 4] = ["lead", "subscriber", "customer", "opportunity"];
const SOURCES: [&str; 6] = ["website", "referral", "event", "import", "ads", "partner"];
const ACTIVITY_TYPES: [&str; 5] = ["email", "call", "meeting", "task", "note"];

pub(crate) const TEMPLATES: &[Template] = &[
    // -- Reads ----------------------------------------------------------------------------
    Template {
        name: "contact_by_email",
        weight: 10,
        sql: "SELECT id, first_name, last_name, phone, lifecycle_status FROM crm.contacts \
              WHERE tenant_id = $1 AND email = $2 AND deleted_at IS NULL",
        bind: |q, t, rng| q.bind(t.id).bind(t.contact(rng).email.clone()),
    },
    Template {
        name: "contact_by_id",
        weight: 8,
        sql: "SELECT id, email, first_name, last_name, phone, lifecycle_status, custom_attributes \
              FROM crm.contacts WHERE id = $1 AND tenant_id = $2",
        bind: |q, t, rng| q.bind(t.contact(rng).id).bind(t.id),
    },
    Template {
        name: "contacts_by_ids",
        weight: 3,
        sql: "SELECT id, email, first_name, last_name FROM crm.contacts \
              WHERE id IN ($1, $2, $3, $4, $5)",
        bind: |q, t, rng| (0..5).fold(q, |q, _| q.bind(t.contact(rng).id)),
    },
    Template {
        name: "contact_search_prefix",
        weight: 6,
        sql: "SELECT id, email, first_name, last_name FROM crm.contacts \
              WHERE tenant_id = $1 AND lower(email) LIKE $2 AND deleted_at IS NULL \
              ORDER BY email LIMIT 20",
        bind: |q, t, rng| {
            let prefix: String = t.contact(rng).email.chars().take(3).collect();
            q.bind(t.id).bind(format!("{}%", prefix.to_lowercase()))
        },
    },
    Template {
        name: "contacts_by_source",
        weight: 3,
        sql: "SELECT id, email FROM crm.contacts \
              WHERE tenant_id = $1 AND custom_attributes ->> 'source' = $2 \
              ORDER BY created_at DESC LIMIT 50",
        bind: |q, t, rng| q.bind(t.id).bind(*choose(&SOURCES, rng)),
    },
    Template {
        name: "count_contacts_by_region",
        weight: 3,
        sql: "SELECT count(*) FROM crm.contacts WHERE tenant_id = $1 AND custom_region = $2 \
              AND lifecycle_status = $3::crm.lifecycle_status AND deleted_at IS NULL",
        bind: |q, t, rng| {
            let region = t.contact(rng).region.clone().unwrap_or_else(|| "EMEA".into());
            q.bind(t.id).bind(region).bind(*choose(&STATUSES, rng))
        },
    },
    Template {
        name: "contact_by_linkedin",
        weight: 2,
        sql: "SELECT id, email FROM crm.contacts WHERE tenant_id = $1 AND custom_linkedin = $2",
        bind: |q, t, rng| {
            let contact = t.contact(rng);
            let url = contact.linkedin.clone().unwrap_or_else(|| {
                format!("https://www.linkedin.com/in/unknown-{}", contact.id)
            });
            q.bind(t.id).bind(url)
        },
    },
    Template {
        name: "unassigned_contacts",
        weight: 2,
        sql: "SELECT id, email, created_at FROM crm.contacts \
              WHERE tenant_id = $1 AND owner_id IS NULL AND deleted_at IS NULL \
              ORDER BY created_at DESC LIMIT 50",
        bind: |q, t, _| q.bind(t.id),
    },
    Template {
        name: "organisation_contacts",
        weight: 3,
        sql: "SELECT id, email, first_name, last_name FROM crm.contacts \
              WHERE org_id = $1 AND deleted_at IS NULL ORDER BY last_name, first_name",
        bind: |q, t, rng| q.bind(t.org(rng)),
    },
    Template {
        name: "deals_by_stage",
        weight: 7,
        sql: "SELECT id, name, amount, close_date FROM crm.deals \
              WHERE tenant_id = $1 AND stage = $2::crm.deal_stage AND deleted_at IS NULL \
              ORDER BY close_date LIMIT 50",
        bind: |q, t, rng| q.bind(t.id).bind(*choose(&OPEN_STAGES, rng)),
    },
    Template {
        name: "deal_count_per_stage",
        weight: 4,
        sql: "SELECT stage, count(*), sum(amount) FROM crm.deals \
              WHERE tenant_id = $1 AND deleted_at IS NULL GROUP BY stage ORDER BY stage",
        bind: |q, t, _| q.bind(t.id),
    },
    Template {
        name: "pipeline_board",
        weight: 4,
        sql: "SELECT d.id, d.name, d.amount, d.stage, c.email, o.name AS organisation \
              FROM crm.deals d \
              JOIN crm.contacts c ON c.id = d.contact_id \
              LEFT JOIN crm.organisations o ON o.id = d.org_id \
              WHERE d.tenant_id = $1 AND d.stage IN ($2::crm.deal_stage, $3::crm.deal_stage) \
              AND d.deleted_at IS NULL ORDER BY d.amount DESC LIMIT 25",
        bind: |q, t, rng| {
            let i = rng.gen_range(0..OPEN_STAGES.len() - 1);
            q.bind(t.id).bind(OPEN_STAGES[i]).bind(OPEN_STAGES[i + 1])
        },
    },
    Template {
        name: "deals_closing_soon",
        weight: 3,
        sql: "SELECT id, name, amount, close_date FROM crm.deals \
              WHERE tenant_id = $1 AND close_date BETWEEN $2 AND $3 \
              AND stage NOT IN ('closed_won', 'closed_lost') ORDER BY close_date LIMIT 100",
        bind: |q, t, rng| {
            let from = rng.gen_range(-7.0..30.0);
            q.bind(t.id).bind(date(days_from_now(from))).bind(date(days_from_now(from + 30.0)))
        },
    },
    Template {
        name: "contact_deals",
        weight: 3,
        sql: "SELECT id, name, stage, amount FROM crm.deals WHERE contact_id = $1 \
              ORDER BY created_at DESC",
        bind: |q, t, rng| q.bind(t.deal(rng).contact_id),
    },
    Template {
        name: "organisation_revenue",
        weight: 2,
        sql: "SELECT coalesce(sum(amount), 0) FROM crm.deals WHERE org_id = $1 AND stage = 'closed_won'",
        bind: |q, t, rng| q.bind(t.org(rng)),
    },
    Template {
        // SLOW without an index on activities (deal_id[, occurred_at]).
        name: "deal_timeline",
        weight: 6,
        sql: "SELECT id, type, subject, occurred_at, done FROM crm.activities \
              WHERE deal_id = $1 ORDER BY occurred_at DESC LIMIT 20",
        bind: |q, t, rng| q.bind(t.deal(rng).id),
    },
    Template {
        // SLOW without an index on activities (contact_id[, occurred_at]).
        name: "contact_timeline",
        weight: 4,
        sql: "SELECT id, type, subject, occurred_at FROM crm.activities \
              WHERE contact_id = $1 ORDER BY occurred_at DESC LIMIT 20",
        bind: |q, t, rng| q.bind(t.contact(rng).id),
    },
    Template {
        // SLOW without an index on activities (tenant_id, occurred_at).
        name: "tenant_recent_activities",
        weight: 3,
        sql: "SELECT id, type, subject, occurred_at FROM crm.activities \
              WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
              ORDER BY occurred_at DESC LIMIT 100",
        bind: |q, t, rng| {
            let to = days_from_now(-rng.gen_range(0.0..90.0));
            q.bind(t.id).bind(to - std::time::Duration::from_secs(7 * 86_400)).bind(to)
        },
    },
    Template {
        // SLOW without a (partial, WHERE NOT done) index on activities (tenant_id, owner_id).
        name: "overdue_tasks",
        weight: 3,
        sql: "SELECT id, subject, due_at FROM crm.activities \
              WHERE tenant_id = $1 AND owner_id = $2 AND NOT done AND due_at < now() \
              ORDER BY due_at LIMIT 50",
        bind: |q, t, rng| q.bind(t.id).bind(t.user(rng)),
    },
    Template {
        // SLOW without a (partial, WHERE NOT done) index on activities (tenant_id).
        name: "open_activity_counts",
        weight: 2,
        sql: "SELECT type, count(*) FROM crm.activities WHERE tenant_id = $1 AND NOT done \
              GROUP BY type",
        bind: |q, t, _| q.bind(t.id),
    },
    // -- Writes ---------------------------------------------------------------------------
    Template {
        name: "log_activity",
        weight: 5,
        sql: "INSERT INTO crm.activities \
              (tenant_id, type, subject, note, occurred_at, done, deal_id, contact_id, owner_id) \
              VALUES ($1, $2::crm.activity_type, $3, $4, now(), $5, $6, $7, $8) RETURNING id",
        bind: |q, t, rng| {
            let kind = *choose(&ACTIVITY_TYPES, rng);
            let deal = t.deal(rng);
            let note = rng.gen_bool(0.4).then(|| "Logged from the app".to_owned());
            q.bind(t.id)
                .bind(kind)
                .bind(format!("Follow-up {kind}"))
                .bind(note)
                .bind(kind != "task")
                .bind(deal.id)
                .bind(deal.contact_id)
                .bind(t.user(rng))
        },
    },
    Template {
        name: "move_deal_stage",
        weight: 3,
        sql: "UPDATE crm.deals SET stage = $1::crm.deal_stage, updated_at = now() \
              WHERE id = $2 AND tenant_id = $3",
        bind: |q, t, rng| q.bind(*choose(&OPEN_STAGES, rng)).bind(t.deal(rng).id).bind(t.id),
    },
    Template {
        name: "complete_activity",
        weight: 3,
        sql: "UPDATE crm.activities SET done = true WHERE id = $1 AND tenant_id = $2 AND NOT done",
        bind: |q, t, rng| q.bind(t.activity(rng)).bind(t.id),
    },
    Template {
        name: "touch_contact",
        weight: 2,
        sql: "UPDATE crm.contacts SET last_contacted_at = now(), updated_at = now() \
              WHERE id = $1 AND tenant_id = $2",
        bind: |q, t, rng| q.bind(t.contact(rng).id).bind(t.id),
    },
];

fn choose<'a, T>(items: &'a [T], rng: &mut StdRng) -> &'a T {
    // Only called on the non-empty constant arrays above.
    items.choose(rng).unwrap_or(&items[0])
}

/// Now plus `days` (negative: in the past), to the second.
fn days_from_now(days: f64) -> DateTime<Utc> {
    let now = Utc::now();
    let offset = std::time::Duration::from_secs_f64(days.abs() * 86_400.0);
    if days < 0.0 {
        now - offset
    } else {
        now + offset
    }
}

fn date(at: DateTime<Utc>) -> NaiveDate {
    at.date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn templates_have_unique_names_and_sane_weights() {
        let names: HashSet<_> = TEMPLATES.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), TEMPLATES.len());
        assert!((15..=25).contains(&TEMPLATES.len()));
        assert!(TEMPLATES
            .iter()
            .all(|t| t.weight > 0 && t.sql.contains("$1")));
    }
}
