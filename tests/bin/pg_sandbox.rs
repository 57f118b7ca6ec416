//! A throwaway PostgreSQL for tests written in other languages (the window tests):
//!
//!   pg-sandbox start DIR [PORT]   start (or reuse) a cluster in DIR; prints {"port", "url"}
//!   pg-sandbox stop DIR           stop it
//!
//! The superuser password comes from PG_SANDBOX_PASSWORD (scram-sha-256 over TCP), so tests
//! can prove that a wrong password is refused.

use indexpilot_demo::cluster::{Cluster, ClusterOptions};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("start") if args.len() >= 2 => start(PathBuf::from(&args[1]), args.get(2)),
        Some("stop") if args.len() == 2 => Cluster::stop_data_dir(&PathBuf::from(&args[1]))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        _ => Err("usage: pg-sandbox start DIR [PORT] | pg-sandbox stop DIR".to_string()),
    };
    if let Err(e) = result {
        eprintln!("pg-sandbox: {e}");
        std::process::exit(2);
    }
}

fn start(dir: PathBuf, port: Option<&String>) -> Result<(), String> {
    let port = port
        .map(|p| p.parse::<u16>().map_err(|e| format!("bad port {p}: {e}")))
        .transpose()?;
    let opts = ClusterOptions {
        data_dir: Some(dir),
        port,
        password: std::env::var("PG_SANDBOX_PASSWORD").ok(),
        keep_running: true,
        ..ClusterOptions::default()
    };
    let cluster = Cluster::start(opts).map_err(|e| e.to_string())?;
    println!(
        "{}",
        serde_json::json!({"port": cluster.port(), "url": cluster.admin_url(), "socket_dir": cluster.socket_dir()})
    );
    Ok(())
}
