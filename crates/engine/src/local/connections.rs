//! Saved connections: where to connect, how it looks, whether IndexPilot may change anything
//! through it. The password is never part of a saved connection.

use super::{local, LocalStore, SecretStore};
use crate::connect::{keep_query_pairs, ConnectOptions, SslMode};
use crate::error::{Error, Result};
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectionTarget {
    Fields {
        host: String,
        port: u16,
        database: String,
        user: String,
        sslmode: SslMode,
        sslrootcert: Option<String>,
    },
    /// A postgres:// URL. Once saved it never carries the password.
    Url { url: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedConnection {
    pub id: String,
    pub label: String,
    pub colour: String,
    pub read_only: bool,
    pub target: ConnectionTarget,
    /// Whether the secret store holds a password for it (never the password itself).
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the UI sends to create or update a connection. The password travels inbound only.
#[derive(Clone, Deserialize, TS)]
pub struct ConnectionInput {
    pub id: Option<String>,
    pub label: String,
    pub colour: String,
    pub read_only: bool,
    pub target: ConnectionTarget,
    /// `None` keeps the stored password (or none).
    pub password: Option<String>,
    pub forget_password: bool,
}

impl std::fmt::Debug for ConnectionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionInput")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl ConnectionTarget {
    /// Connection options for this target with `password`, following libpq's rules.
    pub fn options(&self, password: Option<&Secret>) -> Result<ConnectOptions> {
        let opts = match self {
            ConnectionTarget::Url { url } => ConnectOptions::resolve(Some(url))?,
            ConnectionTarget::Fields {
                host,
                port,
                database,
                user,
                sslmode,
                sslrootcert,
            } => {
                let mut conninfo = format!(
                    "host={} port={port} dbname={} user={} sslmode={}",
                    quote(host),
                    quote(database),
                    quote(user),
                    sslmode.as_str()
                );
                if let Some(cert) = sslrootcert.as_deref().filter(|c| !c.is_empty()) {
                    conninfo.push_str(&format!(" sslrootcert={}", quote(cert)));
                }
                ConnectOptions::resolve(Some(&conninfo))?
            }
        };
        Ok(match password {
            Some(p) => opts.with_password(p),
            None => opts,
        })
    }

    /// Checks the target and, for a URL, moves any password out of it.
    fn normalised(self) -> Result<(ConnectionTarget, Option<Secret>)> {
        match self {
            ConnectionTarget::Fields {
                host,
                port,
                database,
                user,
                sslmode,
                sslrootcert,
            } => {
                for (what, v) in [("host", &host), ("database", &database), ("user", &user)] {
                    if v.trim().is_empty() {
                        return Err(Error::InvalidInput(format!("the {what} cannot be empty")));
                    }
                }
                if port == 0 {
                    return Err(Error::InvalidInput(
                        "the port must be between 1 and 65535".to_string(),
                    ));
                }
                let t = ConnectionTarget::Fields {
                    host: host.trim().to_string(),
                    port,
                    database: database.trim().to_string(),
                    user: user.trim().to_string(),
                    sslmode,
                    sslrootcert: sslrootcert.filter(|c| !c.trim().is_empty()),
                };
                t.options(None)?;
                Ok((t, None))
            }
            ConnectionTarget::Url { url } => {
                let (url, password) = strip_password(url.trim())?;
                ConnectOptions::resolve(Some(&url))?;
                Ok((ConnectionTarget::Url { url }, password))
            }
        }
    }

    /// "user@host:port/db", for lists and the status bar.
    pub fn describe(&self) -> String {
        self.options(None)
            .map_or_else(|_| "(invalid)".to_string(), |o| o.target().to_string())
    }
}

fn quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `postgres://user:pw@host/db` → (`postgres://user@host/db`, Some(pw)); a `password=`
/// query parameter is taken out the same way (and wins, as in libpq).
fn strip_password(url: &str) -> Result<(String, Option<Secret>)> {
    if !url.contains("://") {
        return Err(Error::InvalidInput(
            "a URL must start with postgres:// or postgresql://".to_string(),
        ));
    }
    // `?password=` wins over `user:password@`, as in libpq.
    let mut from_query = None;
    let url = keep_query_pairs(url, |key, value| {
        if key == "password" {
            from_query = Some(percent_decode(value));
            return Ok(false);
        }
        Ok(true)
    })?;
    let (scheme, rest) = url.split_once("://").unwrap_or(("", &url));
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let (authority, from_userinfo) = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, pw)) => (format!("{user}@{host}"), Some(percent_decode(pw))),
            None => (authority.to_string(), None),
        },
        None => (authority.to_string(), None),
    };
    Ok((
        format!("{scheme}://{authority}{path}{query}"),
        from_query.or(from_userinfo).map(Secret::new),
    ))
}

/// `%xx` escapes decoded; anything else (a stray `%`, `%zé`) kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a password is saved for the connection: as recorded when it was saved, or, for a
/// connection saved before that was recorded, as the keyring says (one that cannot be read
/// says nothing: listing never fails for the keyring's sake).
fn password_saved(row: &sqlx::sqlite::SqliteRow, secrets: &dyn SecretStore, id: &str) -> bool {
    match row.get::<Option<i64>, _>("password_saved") {
        Some(saved) => saved != 0,
        None => secrets.get(id).ok().flatten().is_some(),
    }
}

fn row_to_connection(
    row: &sqlx::sqlite::SqliteRow,
    secrets: &dyn SecretStore,
) -> Result<SavedConnection> {
    let id: String = row.get("id");
    let target: ConnectionTarget = serde_json::from_str(row.get::<&str, _>("target_json"))
        .map_err(|e| Error::Local(format!("saved connection {id} is unreadable: {e}")))?;
    let parse = |col: &str| -> Result<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(row.get::<&str, _>(col))
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| Error::Local(format!("saved connection {id}: bad {col}: {e}")))
    };
    Ok(SavedConnection {
        has_password: password_saved(row, secrets, &id),
        label: row.get("label"),
        colour: row.get("colour"),
        read_only: row.get::<i64, _>("read_only") != 0,
        target,
        created_at: parse("created_at")?,
        updated_at: parse("updated_at")?,
        id,
    })
}

impl LocalStore {
    pub async fn connections(&self, secrets: &dyn SecretStore) -> Result<Vec<SavedConnection>> {
        let rows = sqlx::query("SELECT * FROM connections ORDER BY position, label, created_at")
            .fetch_all(self.pool())
            .await
            .map_err(local)?;
        rows.iter().map(|r| row_to_connection(r, secrets)).collect()
    }

    pub async fn connection(&self, secrets: &dyn SecretStore, id: &str) -> Result<SavedConnection> {
        let row = sqlx::query("SELECT * FROM connections WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(local)?
            .ok_or_else(|| Error::NotFound {
                what: "connection",
                name: id.to_string(),
            })?;
        row_to_connection(&row, secrets)
    }

    /// How to connect to a saved connection: its target, read-only on the server when it is
    /// read-only, with `session_password` when the person typed one for this session, else
    /// the saved password. The keyring is asked only when a password was saved; when it cannot
    /// answer, `PasswordUnavailable` says why, and the app asks for the password instead.
    pub async fn connect_options(
        &self,
        secrets: &dyn SecretStore,
        id: &str,
        session_password: Option<Secret>,
    ) -> Result<(SavedConnection, ConnectOptions)> {
        let saved = self.connection(secrets, id).await?;
        let password = match session_password {
            Some(p) => Some(p),
            None if saved.has_password => match secrets.get(id) {
                Ok(Some(p)) => Some(p),
                Ok(None) => {
                    return Err(Error::PasswordUnavailable(
                        "the keyring no longer holds it".to_string(),
                    ))
                }
                Err(e) => return Err(Error::PasswordUnavailable(e.to_string())),
            },
            // libpq's own sources still apply: PGPASSWORD, .pgpass.
            None => None,
        };
        let opts = saved
            .target
            .options(password.as_ref())?
            .with_read_only(saved.read_only);
        Ok((saved, opts))
    }

    /// Creates or updates a connection. The password goes to `secrets` only after the row is
    /// written, and a failed secret write undoes a new row: nothing half-saved is left.
    pub async fn save_connection(
        &self,
        secrets: &dyn SecretStore,
        input: ConnectionInput,
    ) -> Result<SavedConnection> {
        let label = input.label.trim().to_string();
        if label.is_empty() {
            return Err(Error::InvalidInput("the label cannot be empty".to_string()));
        }
        if !is_colour(&input.colour) {
            return Err(Error::InvalidInput(format!(
                "colour must be like #3b82f6, got {:?}",
                input.colour
            )));
        }
        let (target, url_password) = input.target.normalised()?;
        let password = match (input.password.filter(|p| !p.is_empty()), url_password) {
            (Some(p), _) => Some(Secret::new(p)),
            (None, p) => p,
        };
        let target_json =
            serde_json::to_string(&target).map_err(|e| Error::Local(e.to_string()))?;
        let now = Utc::now().to_rfc3339();
        let (id, created) = match input.id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE connections SET label = ?, colour = ?, read_only = ?, target_json = ?, updated_at = ? WHERE id = ?",
                )
                .bind(&label)
                .bind(&input.colour)
                .bind(input.read_only)
                .bind(&target_json)
                .bind(&now)
                .bind(&id)
                .execute(self.pool())
                .await
                .map_err(local)?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound {
                        what: "connection",
                        name: id,
                    });
                }
                (id, false)
            }
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                sqlx::query(
                    "INSERT INTO connections (id, label, colour, read_only, target_json, position, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM connections), ?, ?)",
                )
                .bind(&id)
                .bind(&label)
                .bind(&input.colour)
                .bind(input.read_only)
                .bind(&target_json)
                .bind(&now)
                .bind(&now)
                .execute(self.pool())
                .await
                .map_err(local)?;
                (id, true)
            }
        };
        let (secret_result, saved) = if let Some(p) = &password {
            (secrets.set(&id, p), Some(true))
        } else if input.forget_password {
            (secrets.delete(&id), Some(false))
        } else {
            (Ok(()), created.then_some(false))
        };
        if let Err(e) = secret_result {
            if created {
                let _ = sqlx::query("DELETE FROM connections WHERE id = ?")
                    .bind(&id)
                    .execute(self.pool())
                    .await;
            }
            return Err(e);
        }
        if let Some(saved) = saved {
            sqlx::query("UPDATE connections SET password_saved = ? WHERE id = ?")
                .bind(saved)
                .bind(&id)
                .execute(self.pool())
                .await
                .map_err(local)?;
        }
        self.connection(secrets, &id).await
    }

    /// Copies a connection, its password included, under a new id.
    pub async fn duplicate_connection(
        &self,
        secrets: &dyn SecretStore,
        id: &str,
    ) -> Result<SavedConnection> {
        let original = self.connection(secrets, id).await?;
        let input = ConnectionInput {
            id: None,
            label: format!("{} (copy)", original.label),
            colour: original.colour,
            read_only: original.read_only,
            target: original.target,
            password: secrets.get(id)?.map(|s| s.expose().to_string()),
            forget_password: false,
        };
        self.save_connection(secrets, input).await
    }

    /// Deletes a connection and its password.
    pub async fn delete_connection(&self, secrets: &dyn SecretStore, id: &str) -> Result<()> {
        self.connection(secrets, id).await?;
        secrets.delete(id)?;
        sqlx::query("DELETE FROM connections WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(local)?;
        Ok(())
    }
}

fn is_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::MemorySecrets;

    fn fields() -> ConnectionTarget {
        ConnectionTarget::Fields {
            host: "db.example".into(),
            port: 5432,
            database: "crm".into(),
            user: "dba".into(),
            sslmode: SslMode::Prefer,
            sslrootcert: None,
        }
    }

    fn input(target: ConnectionTarget, password: Option<&str>) -> ConnectionInput {
        ConnectionInput {
            id: None,
            label: "Production".into(),
            colour: "#3b82f6".into(),
            read_only: true,
            target,
            password: password.map(str::to_string),
            forget_password: false,
        }
    }

    #[tokio::test]
    async fn whether_a_password_is_saved_is_recorded_and_kept_across_edits() {
        let store = LocalStore::in_memory().await.unwrap();
        let secrets = MemorySecrets::default();
        let with = store
            .save_connection(&secrets, input(fields(), Some("s3cret")))
            .await
            .unwrap();
        let without = store
            .save_connection(&secrets, input(fields(), None))
            .await
            .unwrap();
        let recorded = |id: String| {
            let pool = store.pool().clone();
            async move {
                sqlx::query_scalar::<_, Option<i64>>(
                    "SELECT password_saved FROM connections WHERE id = ?",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(recorded(with.id.clone()).await, Some(1));
        assert_eq!(recorded(without.id.clone()).await, Some(0));
        // An edit without a password keeps the saved one; forgetting it is recorded.
        let mut edit = input(fields(), None);
        edit.id = Some(with.id.clone());
        assert!(
            store
                .save_connection(&secrets, edit.clone())
                .await
                .unwrap()
                .has_password
        );
        edit.forget_password = true;
        assert!(
            !store
                .save_connection(&secrets, edit)
                .await
                .unwrap()
                .has_password
        );
        assert_eq!(recorded(with.id.clone()).await, Some(0));
        // A connection saved before the column existed: the keyring is asked.
        secrets.set(&without.id, &Secret::new("old")).unwrap();
        sqlx::query("UPDATE connections SET password_saved = NULL WHERE id = ?")
            .bind(&without.id)
            .execute(store.pool())
            .await
            .unwrap();
        assert!(
            store
                .connection(&secrets, &without.id)
                .await
                .unwrap()
                .has_password
        );
    }

    #[tokio::test]
    async fn save_duplicate_delete_keep_the_password_in_the_secret_store_only() {
        let store = LocalStore::in_memory().await.unwrap();
        let secrets = MemorySecrets::default();
        let saved = store
            .save_connection(&secrets, input(fields(), Some("s3cret")))
            .await
            .unwrap();
        assert!(saved.has_password && saved.read_only);
        assert_eq!(secrets.get(&saved.id).unwrap().unwrap().expose(), "s3cret");
        let json: String = sqlx::query_scalar("SELECT target_json FROM connections")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert!(!json.contains("s3cret"));

        let copy = store
            .duplicate_connection(&secrets, &saved.id)
            .await
            .unwrap();
        assert_eq!(copy.label, "Production (copy)");
        assert_eq!(secrets.get(&copy.id).unwrap().unwrap().expose(), "s3cret");

        store.delete_connection(&secrets, &saved.id).await.unwrap();
        assert!(secrets.get(&saved.id).unwrap().is_none());
        assert_eq!(store.connections(&secrets).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_password_in_a_url_moves_to_the_secret_store() {
        let store = LocalStore::in_memory().await.unwrap();
        let secrets = MemorySecrets::default();
        let url = ConnectionTarget::Url {
            url: "postgres://dba:p%40ss@db:5433/crm?sslmode=require".into(),
        };
        let saved = store
            .save_connection(&secrets, input(url, None))
            .await
            .unwrap();
        assert_eq!(
            saved.target,
            ConnectionTarget::Url {
                url: "postgres://dba@db:5433/crm?sslmode=require".into()
            }
        );
        assert_eq!(secrets.get(&saved.id).unwrap().unwrap().expose(), "p@ss");
        assert_eq!(saved.target.describe(), "dba@db:5433/crm");
    }

    #[tokio::test]
    async fn a_password_in_the_query_string_moves_to_the_secret_store_too() {
        let store = LocalStore::in_memory().await.unwrap();
        let secrets = MemorySecrets::default();
        let url = ConnectionTarget::Url {
            url: "postgres://dba@db/crm?password=s3cret&sslmode=require".into(),
        };
        let saved = store
            .save_connection(&secrets, input(url, None))
            .await
            .unwrap();
        assert_eq!(
            saved.target,
            ConnectionTarget::Url {
                url: "postgres://dba@db/crm?sslmode=require".into()
            }
        );
        assert_eq!(secrets.get(&saved.id).unwrap().unwrap().expose(), "s3cret");
        let json: String = sqlx::query_scalar("SELECT target_json FROM connections")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert!(!json.contains("s3cret"), "{json}");
    }

    #[test]
    fn a_malformed_escape_in_a_password_is_kept_not_a_panic() {
        let (url, pw) = strip_password("postgres://u:%z\u{e9}@h/d").unwrap();
        assert_eq!(url, "postgres://u@h/d");
        assert_eq!(pw.unwrap().expose(), "%z\u{e9}");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%41%e9"), "A\u{fffd}");
    }

    #[tokio::test]
    async fn bad_input_is_refused_and_nothing_is_saved() {
        let store = LocalStore::in_memory().await.unwrap();
        let secrets = MemorySecrets::default();
        let mut bad = input(fields(), None);
        bad.label = " ".into();
        assert_eq!(
            store
                .save_connection(&secrets, bad)
                .await
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        let bad = input(
            ConnectionTarget::Url {
                url: "mysql://x".into(),
            },
            Some("pw"),
        );
        assert!(store.save_connection(&secrets, bad).await.is_err());
        assert!(store.connections(&secrets).await.unwrap().is_empty());
    }
}
