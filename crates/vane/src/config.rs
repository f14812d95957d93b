//! Configuration: defaults, then a TOML file (`--config FILE`, else
//! `DATA_DIR/vane.toml` when it exists), then environment variables, then
//! command-line flags. Every setting is documented on its field here; the
//! README's configuration reference is this file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use vane_pipeline::{FetchPolicy, PipelineConfig};

/// Everything `vane serve`, `vane ingest` and the management commands read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Config {
    /// Where the embedded database and the API token live (`VANE_DATA_DIR`).
    pub(crate) data_dir: PathBuf,
    /// The store (`VANE_DATABASE_URL`): `sqlite://PATH`; default
    /// `sqlite://DATA_DIR/vane.db`.
    pub(crate) database_url: Option<String>,
    /// Address the server listens on (`VANE_LISTEN`).
    pub(crate) listen: String,
    /// Bearer token of `POST /api/v1/ingest` (`VANE_API_TOKEN`); default: a
    /// random token kept in `DATA_DIR/api-token`.
    pub(crate) api_token: Option<String>,
    pub(crate) fetch: FetchSettings,
    pub(crate) pipeline: PipelineSettings,
    /// Estimated audience of news outlets by site, for reach:
    /// `[outlets]` then `"people.com.cn" = 5000000`.
    pub(crate) outlets: HashMap<String, u64>,
    /// The warning engine (`vane_detect::WarningConfig`): `[warnings]` with
    /// `thresholds = [20, 35, 55, 75]`, `hysteresis`, `hold_minutes`,
    /// `minimum_minutes`, `cooldown_minutes`, `[warnings.weights]` and
    /// `[warnings.rules]` (`central_media = "blue"`, `sensitive_verified`,
    /// `sensitive_verified_followers`, `volume = [[200, "orange"]]`).
    pub(crate) warnings: vane_detect::WarningConfig,
    /// Where warnings go: `[[routes]]` with `name`, `min_level`, `topics`,
    /// `throttle_minutes`, `quiet_hours = { start_hour = 23, end_hour = 7,
    /// utc_offset_minutes = 480 }` and `targets = [{ type = "webhook", url =
    /// "…", format = "wecom" }, { type = "email", server = "host:25", from =
    /// "…", to = ["…"] }]` (formats: generic, wecom, dingtalk, feishu, slack).
    pub(crate) routes: Vec<vane_notify::Route>,
    /// Additions to who counts as authority and what is sensitive:
    /// `[signals]` with `authority_authors`, `authority_sites`,
    /// `verified_followers` and `[signals.keywords]` (`safety = ["…"]`).
    pub(crate) signals: vane_detect::SignalSettings,
}

/// Limits of every fetch a source makes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct FetchSettings {
    pub(crate) timeout_seconds: u64,
    pub(crate) max_bytes: usize,
    pub(crate) max_redirects: usize,
    /// Let sources reach private, loopback and link-local addresses
    /// (`VANE_ALLOW_PRIVATE_ADDRESSES=1`); off by default.
    pub(crate) allow_private_addresses: bool,
}

/// How the pipeline batches and judges documents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct PipelineSettings {
    pub(crate) batch_size: usize,
    /// Title and body larger than this become a dead letter.
    pub(crate) max_document_bytes: usize,
    /// Copies further apart than this are separate stories.
    pub(crate) story_window_hours: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("vane-data"),
            database_url: None,
            listen: "127.0.0.1:8080".to_string(),
            api_token: None,
            fetch: FetchSettings::default(),
            pipeline: PipelineSettings::default(),
            outlets: HashMap::new(),
            warnings: vane_detect::WarningConfig::default(),
            routes: Vec::new(),
            signals: vane_detect::SignalSettings::default(),
        }
    }
}

impl Default for FetchSettings {
    fn default() -> Self {
        let policy = FetchPolicy::default();
        Self {
            timeout_seconds: policy.timeout.as_secs(),
            max_bytes: policy.max_bytes,
            max_redirects: policy.max_redirects,
            allow_private_addresses: false,
        }
    }
}

impl Default for PipelineSettings {
    fn default() -> Self {
        let defaults = PipelineConfig::default();
        Self {
            batch_size: defaults.batch_size,
            max_document_bytes: defaults.max_document_bytes,
            story_window_hours: defaults.story_window_seconds / 3_600,
        }
    }
}

/// Flags every store-using command takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct StoreArgs {
    /// The data directory (default `./vane-data`).
    #[arg(long, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// The store, `sqlite://PATH` (default: `DATA_DIR/vane.db`).
    #[arg(long, value_name = "URL")]
    pub(crate) database_url: Option<String>,
    /// A TOML configuration file (default: `DATA_DIR/vane.toml` if present).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

fn truthy(value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => bail!("expected true or false, not `{other}`"),
    }
}

impl Config {
    /// Loads the configuration for these flags.
    pub(crate) fn load(args: &StoreArgs) -> Result<Config> {
        let environment = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let data_dir = args
            .data_dir
            .clone()
            .or_else(|| environment("VANE_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("vane-data"));
        let file = match &args.config {
            Some(path) => Some(path.clone()),
            None => Some(data_dir.join("vane.toml")).filter(|path| path.exists()),
        };
        let mut config = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read configuration {}", path.display()))?;
                toml::from_str::<Config>(&text)
                    .with_context(|| format!("invalid configuration {}", path.display()))?
            }
            None => Config::default(),
        };
        if args.data_dir.is_some() || environment("VANE_DATA_DIR").is_some() || file.is_none() {
            config.data_dir = data_dir;
        }
        if let Some(url) = environment("VANE_DATABASE_URL") {
            config.database_url = Some(url);
        }
        if let Some(listen) = environment("VANE_LISTEN") {
            config.listen = listen;
        }
        if let Some(token) = environment("VANE_API_TOKEN") {
            config.api_token = Some(token);
        }
        if let Some(value) = environment("VANE_ALLOW_PRIVATE_ADDRESSES") {
            config.fetch.allow_private_addresses =
                truthy(&value).context("VANE_ALLOW_PRIVATE_ADDRESSES")?;
        }
        if let Some(url) = &args.database_url {
            config.database_url = Some(url.clone());
        }
        if config.pipeline.batch_size == 0 {
            bail!("pipeline.batch_size must be at least 1");
        }
        Ok(config)
    }

    /// The database URL, creating the data directory for the default.
    pub(crate) fn database_url(&self) -> Result<String> {
        if let Some(url) = &self.database_url {
            if let Some(path) = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                && let Some(parent) = Path::new(path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create data directory {}", self.data_dir.display()))?;
        Ok(format!(
            "sqlite://{}",
            self.data_dir.join("vane.db").display()
        ))
    }

    pub(crate) fn pipeline(&self) -> PipelineConfig {
        PipelineConfig {
            story_window_seconds: self.pipeline.story_window_hours * 3_600,
            max_document_bytes: self.pipeline.max_document_bytes,
            batch_size: self.pipeline.batch_size,
            outlet_audience: self.outlets.clone(),
            warnings: self.warnings.clone(),
            routes: self.routes.clone(),
            signals: self.signals.clone(),
            live_warnings: false,
        }
    }

    pub(crate) fn fetch_policy(&self) -> FetchPolicy {
        FetchPolicy {
            timeout: Duration::from_secs(self.fetch.timeout_seconds.max(1)),
            max_bytes: self.fetch.max_bytes,
            max_redirects: self.fetch.max_redirects,
            allow_private: self.fetch.allow_private_addresses,
            ..FetchPolicy::default()
        }
    }

    /// The push token: configured, else kept in the data directory
    /// (created on first use from the system's randomness).
    pub(crate) fn api_token(&self) -> Result<String> {
        if let Some(token) = &self.api_token {
            return Ok(token.clone());
        }
        let path = self.data_dir.join("api-token");
        if let Ok(token) = std::fs::read_to_string(&path) {
            let token = token.trim().to_string();
            if !token.is_empty() {
                return Ok(token);
            }
        }
        let mut bytes = [0u8; 24];
        let mut random = std::fs::File::open("/dev/urandom").context("cannot read /dev/urandom")?;
        std::io::Read::read_exact(&mut random, &mut bytes).context("cannot read /dev/urandom")?;
        let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        std::fs::create_dir_all(&self.data_dir)?;
        std::fs::write(&path, &token)
            .with_context(|| format!("cannot write {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(token)
    }
}
