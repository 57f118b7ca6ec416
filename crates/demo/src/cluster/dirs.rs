//! The directories a cluster lives in. As root the server runs as `postgres`, which must
//! own its data directory and be able to walk down to it from `/`.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use crate::error::{DemoError, Result};

/// Longest socket directory that still fits `.s.PGSQL.NNNNN` in a 107-byte socket name.
const MAX_SOCKET_DIR: usize = 90;

/// Creates the directory, gives it to `postgres` when running as root, and checks that
/// `postgres` can reach it.
pub(super) fn prepare_dir(dir: &Path, owner: Option<(u32, u32)>) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(DemoError::io(format!("create {}", dir.display())))?;
    let Some((uid, gid)) = owner else {
        return Ok(());
    };
    if !dir
        .ancestors()
        .skip(1)
        .all(|parent| traversable(parent, uid, gid))
    {
        return Err(DemoError::UnreachableDir(dir.to_path_buf()));
    }
    chown(dir, owner)
}

fn traversable(dir: &Path, uid: u32, gid: u32) -> bool {
    let Ok(meta) = std::fs::metadata(dir) else {
        return false;
    };
    let mode = meta.mode();
    if meta.uid() == uid {
        mode & 0o100 != 0
    } else if meta.gid() == gid {
        mode & 0o010 != 0
    } else {
        mode & 0o001 != 0
    }
}

pub(super) fn chown(path: &Path, owner: Option<(u32, u32)>) -> Result<()> {
    let Some((uid, gid)) = owner else {
        return Ok(());
    };
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(DemoError::io(format!(
        "give {} to the postgres user",
        path.display()
    )))
}

/// Where temporary directories go. As root, `$TMPDIR` may point somewhere `postgres` cannot
/// enter (under `/root`); `/tmp` always works.
pub(super) fn temp_base(owner: Option<(u32, u32)>) -> PathBuf {
    let base = std::env::temp_dir();
    match owner {
        Some((uid, gid)) if !base.ancestors().all(|d| traversable(d, uid, gid)) => {
            PathBuf::from("/tmp")
        }
        _ => base,
    }
}

pub(super) fn socket_dir_for(data_dir: &Path) -> PathBuf {
    if data_dir.as_os_str().len() <= MAX_SOCKET_DIR {
        data_dir.to_path_buf()
    } else {
        PathBuf::from("/tmp")
    }
}

pub(super) fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).map_err(DemoError::io(format!("resolve {}", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn a_private_directory_is_not_traversable_by_others() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (uid, gid) = (u32::MAX - 1, u32::MAX - 1); // nobody who owns it
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .expect("chmod");
        assert!(!traversable(dir.path(), uid, gid));
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))
            .expect("chmod");
        assert!(traversable(dir.path(), uid, gid));
    }

    #[test]
    fn long_data_dirs_put_the_socket_in_tmp() {
        assert_eq!(
            socket_dir_for(Path::new("/var/tmp/demo")),
            Path::new("/var/tmp/demo")
        );
        let long = PathBuf::from(format!("/var/tmp/{}", "d".repeat(100)));
        assert_eq!(socket_dir_for(&long), Path::new("/tmp"));
    }
}
