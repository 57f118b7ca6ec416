//! Support for the runnable examples in this crate's documentation: each example gets a
//! fresh database on the server named by `INDEXPILOT_DOCTEST_URL` (a superuser URL), with
//! one small business table. `make test` starts a throwaway server and sets the variable.
//! Not part of the API.

use sqlx::{Connection, PgConnection, PgPool};

const VAR: &str = "INDEXPILOT_DOCTEST_URL";

/// A fresh database `doc_<name>` holding `public.orders` (id, customer_id, status,
/// created_at, note) with a few rows.
pub async fn database(name: &str) -> Result<PgPool, Box<dyn std::error::Error>> {
    let url = std::env::var(VAR).map_err(|_| {
        format!("{VAR} is not set: the documentation examples need a PostgreSQL superuser URL (`make test-rust` starts a throwaway server and sets it)")
    })?;
    let db = format!("doc_{name}");
    let mut admin = PgConnection::connect(&url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let options = crate::ConnectOptions::resolve(Some(&url))?.with_database(&db);
    let pool = crate::connect(&options).await?;
    sqlx::raw_sql(
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
         CREATE TABLE public.orders (
             id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             customer_id bigint NOT NULL,
             status      text NOT NULL,
             created_at  timestamptz NOT NULL DEFAULT now(),
             note        text
         );
         INSERT INTO public.orders (customer_id, status)
         SELECT g % 100, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'closed' END
         FROM generate_series(1, 1000) g;
         ANALYZE public.orders;",
    )
    .execute(&pool)
    .await?;
    Ok(pool)
}
