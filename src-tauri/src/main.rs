// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = indexpilot_app::run() {
        eprintln!("indexpilot-app: {e}");
        std::process::exit(1);
    }
}
