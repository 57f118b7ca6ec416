//! Where passwords live: the OS keyring in the app (service = app identifier, user =
//! connection id), an in-memory map in tests. Never SQLite, files, logs or IPC.

#[cfg(feature = "os-keyring")]
use crate::error::Error;
use crate::error::Result;
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::Mutex;

pub trait SecretStore: Send + Sync {
    fn get(&self, id: &str) -> Result<Option<Secret>>;
    fn set(&self, id: &str, secret: &Secret) -> Result<()>;
    /// Deleting a secret that does not exist is not an error.
    fn delete(&self, id: &str) -> Result<()>;
}

/// An in-memory store shared by every handle to it (unlike keyring's own mock).
#[derive(Default)]
pub struct MemorySecrets {
    map: Mutex<HashMap<String, Secret>>,
}

impl MemorySecrets {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        // A poisoned lock only means another test thread panicked; the map is still usable.
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, id: &str) -> Result<Option<Secret>> {
        Ok(self.map().get(id).cloned())
    }

    fn set(&self, id: &str, secret: &Secret) -> Result<()> {
        self.map().insert(id.to_string(), secret.clone());
        Ok(())
    }

    fn delete(&self, id: &str) -> Result<()> {
        self.map().remove(id);
        Ok(())
    }
}

/// The OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
#[cfg(feature = "os-keyring")]
pub struct KeyringSecrets {
    service: String,
}

#[cfg(feature = "os-keyring")]
impl KeyringSecrets {
    pub fn new(service: impl Into<String>) -> Self {
        KeyringSecrets {
            service: service.into(),
        }
    }

    fn entry(&self, id: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, id).map_err(keyring_error)
    }
}

#[cfg(feature = "os-keyring")]
impl SecretStore for KeyringSecrets {
    fn get(&self, id: &str) -> Result<Option<Secret>> {
        match self.entry(id)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, id: &str, secret: &Secret) -> Result<()> {
        self.entry(id)?
            .set_password(secret.expose())
            .map_err(keyring_error)
    }

    fn delete(&self, id: &str) -> Result<()> {
        match self.entry(id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

#[cfg(feature = "os-keyring")]
fn keyring_error(e: keyring::Error) -> Error {
    Error::Keyring(e.to_string())
}
