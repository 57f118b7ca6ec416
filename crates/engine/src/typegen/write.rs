//! Writing a generated file: through a temporary file in the same directory, renamed over
//! the target, so a failure never leaves a half-written file behind.

use crate::error::{Error, Result};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Writes through a temporary file in the same directory and renames it over the target,
/// so a failure never leaves a half-written file behind.
pub fn write_file(file: &Path, text: &str) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::Local(format!(
            "cannot write {}: {e}: choose a writable path",
            file.display()
        ))
    };
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".indexpilot-types-")
        .tempfile_in(&dir)
        .map_err(|e| fail(&e))?;
    tmp.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    // The temporary file is private (0600); the result gets the usual mode of a source file,
    // or keeps the mode of the file it replaces.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(file)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0o644);
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail(&e))?;
    }
    tmp.persist(file).map_err(|e| fail(&e.error))?;
    Ok(())
}
