//! `chorus serve`: opens the archive and runs the HTTP API and web UI (`chorus-server`) on a
//! tokio runtime until SIGINT or SIGTERM; requests in flight then finish. The token comes
//! from `--token` or `CHORUS_TOKEN`; without one, writes are open (reads always are).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use chorus_engine::store::Store;
use chorus_server::ServerConfig;

/// What `chorus serve` was asked for.
pub struct ServeArgs {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Bearer token for writes.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
}

/// Serves `store` until a shutdown signal.
pub fn run(store: Box<dyn Store>, args: ServeArgs) -> Result<()> {
    let token = args.token.filter(|t| !t.is_empty());
    if token.is_none() {
        eprintln!(
            "chorus: serving without a token: anyone who can reach {} can add articles",
            args.addr
        );
    }
    let config = ServerConfig { token, max_body: args.max_body, ..ServerConfig::default() };
    // Store calls are the only blocking work and both kinds are bounded by the config; the
    // spare threads serve tokio's own needs.
    let blocking_threads = config.max_concurrent_reads + config.max_pending_writes + 4;
    let app = chorus_server::router(Arc::from(store), config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(blocking_threads)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr().context("listener address")?;
        eprintln!("chorus: serving on http://{local} (Ctrl-C to stop)");
        chorus_server::serve(listener, app, chorus_server::shutdown_signal())
            .await
            .context("server failed")
    })
}
