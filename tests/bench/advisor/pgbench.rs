//! Runs a workload's pgbench scripts: `-M prepared` (the scripts' `:variables` are bind
//! parameters, as an application's are), the weights from `weights.tsv`, the `-D`
//! variables from `vars.sql`.

use super::Error;
use indexpilot_demo::cluster::Cluster;
use std::path::{Path, PathBuf};
use tokio::process::Command;

pub struct Run {
    pgbench: PathBuf,
    url: String,
    args: Vec<String>,
}

impl Run {
    pub async fn new(
        cluster: &Cluster,
        dir: &Path,
        url: &str,
        seconds: u32,
    ) -> Result<Self, Error> {
        let pool = sqlx::PgPool::connect(url).await?;
        let vars_sql = std::fs::read_to_string(dir.join("vars.sql"))?;
        let vars: Vec<String> = sqlx::query_scalar(vars_sql.trim().trim_end_matches(';'))
            .fetch_all(&pool)
            .await?;
        pool.close().await;
        let mut args: Vec<String> = ["-n", "-M", "prepared", "-c", "4", "-j", "2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(["-T".to_string(), seconds.to_string()]);
        for v in vars {
            args.extend(["-D".to_string(), v]);
        }
        for line in std::fs::read_to_string(dir.join("weights.tsv"))?.lines() {
            let Some((name, weight)) = line.split_once('\t') else {
                continue;
            };
            let script = dir.join("scripts").join(format!("{name}.sql"));
            args.extend([
                "-f".to_string(),
                format!("{}@{}", script.display(), weight.trim()),
            ]);
        }
        Ok(Run {
            pgbench: cluster.tool("pgbench"),
            url: url.to_string(),
            args,
        })
    }

    /// Transactions per second: the better of two runs, so that a moment of interference
    /// from other work on the machine does not decide the comparison.
    pub async fn tps(&self) -> Result<f64, Error> {
        let first = self.once().await?;
        let second = self.once().await?;
        Ok(first.max(second))
    }

    /// One run; a run with failed transactions is an error.
    pub async fn once(&self) -> Result<f64, Error> {
        let out = Command::new(&self.pgbench)
            .args(&self.args)
            .arg(&self.url)
            .output()
            .await?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "pgbench failed: {}{}",
                stdout,
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        if let Some(line) = stdout
            .lines()
            .find(|l| l.starts_with("number of failed transactions:"))
        {
            if !line.contains(": 0 ") {
                return Err(format!("pgbench: {line}").into());
            }
        }
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("tps = "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("no tps in pgbench output: {stdout}").into())
    }
}
