//! A small connection pool: the archive calls its backend from several threads at once
//! (rayon over stories), and a `postgres::Client` serves one caller at a time.
//!
//! Connections are opened on demand and kept for reuse up to [`KEEP`]; a connection that
//! broke is dropped rather than returned.

use std::sync::Mutex;
use std::time::Duration;

use chorus_engine::store::StoreError;
use postgres::{Client, Config, NoTls};

/// Idle connections kept for reuse.
const KEEP: usize = 8;

/// Session settings of every connection: waiting for a lock longer than this is reported as
/// [`StoreError::Busy`] rather than hanging a worker forever.
const SESSION: &str = "SET lock_timeout = '120s'; SET application_name = 'chorus'";

/// Connections to one database.
pub(crate) struct Pool {
    config: Config,
    idle: Mutex<Vec<Client>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The config may hold a password: show only where it points.
        f.debug_struct("Pool")
            .field("hosts", &self.config.get_hosts())
            .field("dbname", &self.config.get_dbname())
            .finish_non_exhaustive()
    }
}

impl Pool {
    /// A pool for `url`; connects once to check that the database can be reached.
    pub(crate) fn new(url: &str) -> Result<Pool, StoreError> {
        let mut config: Config =
            url.parse().map_err(|e| StoreError::Invalid(format!("not a PostgreSQL URL ({e})")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let pool = Pool { config, idle: Mutex::new(Vec::new()) };
        let first = pool.connect()?;
        pool.put(first);
        Ok(pool)
    }

    fn connect(&self) -> Result<Client, StoreError> {
        let mut client = self.config.connect(NoTls).map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot connect to PostgreSQL database {:?}: {}",
                self.config.get_dbname().unwrap_or(""),
                crate::describe(&e)
            ))
        })?;
        client.batch_execute(SESSION).map_err(crate::db_err)?;
        Ok(client)
    }

    /// An idle connection, or a new one.
    pub(crate) fn get(&self) -> Result<Client, StoreError> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        match idle {
            Some(c) if !c.is_closed() => Ok(c),
            _ => self.connect(),
        }
    }

    /// Returns a connection for reuse (dropped when broken or when enough are idle).
    pub(crate) fn put(&self, client: Client) {
        if client.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < KEEP {
                idle.push(client);
            }
        }
    }
}
