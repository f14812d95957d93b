//! Parse errors and lint warnings, located in the query as the user typed it.

use std::fmt;

/// Why a query was rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error at column {column}: {message} — {hint}")]
pub struct ParseError {
    /// 1-based, in Unicode characters of the query as typed.
    pub column: usize,
    /// 0-based byte offset in the query as typed.
    pub byte_offset: usize,
    pub message: String,
    pub hint: String,
}

/// A lint finding: the query is accepted, but probably not what was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub column: usize,
    pub byte_offset: usize,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning at column {}: {} — {}",
            self.column, self.message, self.hint
        )
    }
}

/// An error before it is located: a byte offset in the normalised query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawError {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

impl RawError {
    pub(crate) fn new(offset: usize, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
            hint: hint.into(),
        }
    }
}
