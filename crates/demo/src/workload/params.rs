//! Real values to bind: sampled once at the start with cheap queries (`TABLESAMPLE SYSTEM`
//! reads a bounded number of pages, never a full scan of a big table), grouped by tenant.

use std::collections::BTreeMap;

use rand::distributions::WeightedIndex;
use rand::Rng;
use sqlx::PgPool;

use crate::dataset::missing_dataset;
use crate::error::{DemoError, Result};

/// Pages read from each sampled table at most: a few MB, a few milliseconds.
const SAMPLE_PAGES: f64 = 400.0;
const SAMPLE_ROWS: i64 = 20_000;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Contact {
    pub id: i64,
    pub email: String,
    pub org_id: Option<i64>,
    pub region: Option<String>,
    pub linkedin: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    tenant_id: i64,
    #[sqlx(flatten)]
    contact: Contact,
}

#[derive(Debug, Clone)]
pub(crate) struct Deal {
    pub id: i64,
    pub contact_id: Option<i64>,
}

/// One tenant's sampled values. Never empty: tenants without samples are left out.
#[derive(Debug, Default)]
pub(crate) struct Tenant {
    pub id: i64,
    pub contacts: Vec<Contact>,
    pub deals: Vec<Deal>,
    pub activities: Vec<i64>,
    pub users: Vec<i64>,
}

impl Tenant {
    pub fn contact(&self, rng: &mut impl Rng) -> &Contact {
        pick(&self.contacts, rng)
    }
    pub fn deal(&self, rng: &mut impl Rng) -> &Deal {
        pick(&self.deals, rng)
    }
    pub fn activity(&self, rng: &mut impl Rng) -> i64 {
        *pick(&self.activities, rng)
    }
    pub fn user(&self, rng: &mut impl Rng) -> i64 {
        *pick(&self.users, rng)
    }
    /// An organisation of this tenant, through a contact that has one.
    pub fn org(&self, rng: &mut impl Rng) -> Option<i64> {
        let start = rng.gen_range(0..self.contacts.len());
        self.contacts[start..]
            .iter()
            .chain(&self.contacts[..start])
            .find_map(|c| c.org_id)
    }
}

fn tenant(tenants: &mut BTreeMap<i64, Tenant>, id: i64) -> &mut Tenant {
    tenants.entry(id).or_insert_with(|| Tenant {
        id,
        ..Tenant::default()
    })
}

fn pick<'a, T>(items: &'a [T], rng: &mut impl Rng) -> &'a T {
    // Non-empty by construction (see `sample`).
    &items[rng.gen_range(0..items.len())]
}

/// Sampled tenants and how often each one issues a query.
pub(crate) struct Params {
    pub tenants: Vec<Tenant>,
    pub weights: WeightedIndex<f64>,
}

impl Params {
    pub fn tenant(&self, rng: &mut impl Rng) -> &Tenant {
        &self.tenants[rng.sample(&self.weights)]
    }
}

/// Samples every table the statements need. `seed` makes the sample repeatable.
pub(crate) async fn sample(pool: &PgPool, seed: u64) -> Result<Params> {
    // REPEATABLE takes a float; any value derived from the seed will do.
    let repeat = f64::from(u32::try_from(seed % 1_000_000).unwrap_or(0));
    let mut tenants: BTreeMap<i64, Tenant> = BTreeMap::new();

    let sql = "SELECT tenant_id, id, email, org_id, custom_region AS region, \
               custom_linkedin AS linkedin \
               FROM crm.contacts TABLESAMPLE SYSTEM ($1::real) REPEATABLE ($2) \
               WHERE deleted_at IS NULL LIMIT $3";
    let rows: Vec<ContactRow> = sampled(pool, sql, "crm.contacts", repeat).await?;
    for row in rows {
        tenant(&mut tenants, row.tenant_id)
            .contacts
            .push(row.contact);
    }

    let sql = "SELECT tenant_id, id, contact_id FROM crm.deals TABLESAMPLE SYSTEM ($1::real) \
               REPEATABLE ($2) WHERE deleted_at IS NULL LIMIT $3";
    let rows: Vec<(i64, i64, Option<i64>)> = sampled(pool, sql, "crm.deals", repeat).await?;
    for (tenant_id, id, contact_id) in rows {
        tenant(&mut tenants, tenant_id)
            .deals
            .push(Deal { id, contact_id });
    }

    let sql = "SELECT tenant_id, id FROM crm.activities TABLESAMPLE SYSTEM ($1::real) REPEATABLE ($2) LIMIT $3";
    let rows: Vec<(i64, i64)> = sampled(pool, sql, "crm.activities", repeat).await?;
    for (tenant_id, id) in rows {
        tenant(&mut tenants, tenant_id).activities.push(id);
    }

    // A few hundred rows: read them all.
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT tenant_id, id FROM crm.users ORDER BY id")
        .fetch_all(pool)
        .await?;
    for (tenant_id, id) in rows {
        tenant(&mut tenants, tenant_id).users.push(id);
    }

    let tenants: Vec<Tenant> = tenants
        .into_values()
        .filter(|t| {
            !(t.contacts.is_empty()
                || t.deals.is_empty()
                || t.activities.is_empty()
                || t.users.is_empty())
        })
        .collect();
    // Busy tenants issue more queries: weight by sampled activity, which tracks tenant size.
    let weights = tenants.iter().map(|t| precision_safe(t.activities.len()));
    let weights = WeightedIndex::new(weights).map_err(|_| DemoError::NoDataset)?;
    Ok(Params { tenants, weights })
}

/// Rows of `sql` (binds: sample percent, repeat seed, row limit) from about
/// [`SAMPLE_PAGES`] pages of `table`, or all of it when it is small.
async fn sampled<T>(pool: &PgPool, sql: &'static str, table: &str, repeat: f64) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let pages: i32 = sqlx::query_scalar("SELECT relpages FROM pg_class WHERE oid = $1::regclass")
        .bind(table)
        .fetch_one(pool)
        .await
        .map_err(missing_dataset)?;
    // relpages is 0 until the first VACUUM/ANALYZE: then just read everything.
    let percent = if pages > 0 {
        (SAMPLE_PAGES / f64::from(pages) * 100.0).min(100.0)
    } else {
        100.0
    };
    let rows = sqlx::query_as(sql)
        .bind(percent)
        .bind(repeat)
        .bind(SAMPLE_ROWS)
        .fetch_all(pool)
        .await?;
    Ok(rows)
}

/// Sample sizes are at most [`SAMPLE_ROWS`], far below f64's exact integer range.
fn precision_safe(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}
