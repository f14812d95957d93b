//! One module per URL under `/api/v1/` (plus health), so the file tree
//! mirrors the API.

pub(crate) mod breakdown;
pub(crate) mod dead_letters;
pub(crate) mod documents;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod mentions;
pub(crate) mod query;
pub(crate) mod search;
pub(crate) mod series;
pub(crate) mod sources;
pub(crate) mod stories;
pub(crate) mod stream;
pub(crate) mod topics;
pub(crate) mod warnings;
