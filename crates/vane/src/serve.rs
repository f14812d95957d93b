//! `vane serve`: the whole product in one process — the store, the
//! pipeline worker, the source pollers and the HTTP server — until Ctrl-C
//! or SIGTERM. With `--demo`, a demo workspace is created and its stream
//! replayed.

use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::watch;
use vane_model::Timestamp;
use vane_pipeline::Pipeline;

use crate::config::{Config, StoreArgs};

pub(crate) fn now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64),
    )
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Opens the configured store and starts a pipeline over it.
pub(crate) async fn open(config: &Config) -> Result<Arc<Pipeline>> {
    open_with(config, false).await
}

/// Opens the store and starts a pipeline, with live warning engines or not.
pub(crate) async fn open_with(config: &Config, live_warnings: bool) -> Result<Arc<Pipeline>> {
    let url = config.database_url()?;
    let store = vane_store::open(&url)
        .await
        .with_context(|| format!("cannot open the store {url}"))?;
    let pipeline_config = vane_pipeline::PipelineConfig {
        live_warnings,
        ..config.pipeline()
    };
    Pipeline::start(store, pipeline_config, now())
        .await
        .context("cannot start the pipeline")
}

pub(crate) fn serve(args: &StoreArgs, listen: Option<String>, demo: bool) -> Result<()> {
    init_logging();
    let mut config = Config::load(args)?;
    if let Some(listen) = listen {
        config.listen = listen;
    }
    runtime()?.block_on(async move {
        let pipeline = open_with(&config, true).await?;
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let address = listener.local_addr()?;
        let token = config.api_token()?;
        let state = vane_server::AppState {
            store: Arc::clone(pipeline.store()),
            pipeline: Arc::clone(&pipeline),
            api_token: token.into(),
            max_document_bytes: config.pipeline.max_document_bytes,
            started: std::time::Instant::now(),
        };
        let (stop, stopped) = watch::channel(false);
        let wait = |mut receiver: watch::Receiver<bool>| async move {
            let _ = receiver.wait_for(|stop| *stop).await;
        };
        let worker = tokio::spawn(Arc::clone(&pipeline).run_worker(wait(stopped.clone())));
        let pollers = tokio::spawn(vane_pipeline::run_sources(
            Arc::clone(&pipeline),
            config.fetch_policy(),
            wait(stopped.clone()),
        ));
        let _ = pipeline.alerts.link_base.set(format!("http://{address}"));
        // the warning engines are evaluated at the start of every minute
        let warnings_task = {
            let pipeline = Arc::clone(&pipeline);
            let stopped = wait(stopped.clone());
            tokio::spawn(async move {
                tokio::pin!(stopped);
                loop {
                    let now = now();
                    let next = (now.0 / 60 + 1) * 60;
                    let sleep = std::time::Duration::from_secs((next - now.0).max(1) as u64);
                    tokio::select! {
                        _ = &mut stopped => return,
                        _ = tokio::time::sleep(sleep) => {}
                    }
                    match pipeline.evaluate_warnings(Timestamp(next)).await {
                        Ok(changes) => {
                            for change in changes {
                                tracing::info!(topic = %change.topic, level = change.level.as_str(), score = change.score, "warning level changed");
                            }
                        }
                        Err(error) => tracing::error!("evaluating warnings failed: {error}"),
                    }
                }
            })
        };
        let demo_task = if demo {
            crate::demo::install(&pipeline).await?;
            Some(tokio::spawn(crate::demo::replay(
                Arc::clone(&pipeline),
                wait(stopped.clone()),
            )))
        } else {
            None
        };
        eprintln!(
            "Vane is serving http://{address}/ (API: /api/v1/, OpenAPI: /api/v1/openapi.json); store {}",
            config.database_url()?
        );
        if config.api_token.is_none() {
            eprintln!(
                "push token for POST /api/v1/ingest: in {}",
                config.data_dir.join("api-token").display()
            );
        }
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down");
            let _ = stop.send(true);
        });
        vane_server::run(listener, state, wait(stopped.clone()))
            .await
            .context("the HTTP server failed")?;
        let _ = worker.await;
        let _ = pollers.await;
        let _ = warnings_task.await;
        if let Some(task) = demo_task {
            let _ = task.await;
        }
        Ok(())
    })
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
