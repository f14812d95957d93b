//! The monitoring query language of Vane (QUERY-LANGUAGE.md): parser,
//! linter, compiler and percolator.
//!
//! [`Query::parse`] turns the text an analyst wrote into a syntax tree, or
//! an error with the column and a hint; warnings say what is legal but
//! probably wrong. [`Percolator`] holds every active topic and matches a
//! [`PreparedDocument`] against all of them at once, reporting hit spans in
//! the original text. This crate is pure: no I/O, no clock.

mod ast;
mod compile;
mod document;
mod error;
mod lexer;
mod lint;
mod parser;
mod percolator;
mod presearch;
mod search;
mod source;
mod term;
mod window;

pub use ast::{
    Expr, ExprKind, FlagField, KeywordField, MetaCondition, NumberField, NumberRange, Span, Term,
};
pub use document::PreparedDocument;
pub use error::{ParseError, Warning};
pub use percolator::{
    Hit, MIN_DOCUMENTS_TO_RETUNE, MatchScratch, MatchStatistics, Percolator, TopicError, TopicMatch,
};
pub use search::{IndexTerm, SearchLiteral, SearchPlan, index_tokens};
pub use term::{CompareSpace, TermCache, TermPattern, TokenPattern};

use error::RawError;
use source::QuerySource;

/// A parsed, valid query.
#[derive(Debug, Clone)]
pub struct Query {
    expr: Expr,
    warnings: Vec<Warning>,
}

impl Query {
    /// Parses and validates a query; lint findings are in [`Query::warnings`].
    pub fn parse(text: &str) -> Result<Query, ParseError> {
        Self::parse_with(text, &mut TermCache::default())
    }

    /// Like [`Query::parse`], reusing the terms checked for earlier queries.
    pub fn parse_with(text: &str, terms: &mut TermCache) -> Result<Query, ParseError> {
        let source = QuerySource::new(text);
        let locate = |error: RawError| {
            let (column, byte_offset) = source.locate(error.offset);
            ParseError {
                column,
                byte_offset,
                message: error.message,
                hint: error.hint,
            }
        };
        let (tokens, lex_warnings) = lexer::lex(&source.normalized).map_err(locate)?;
        let (expr, mut raw_warnings) =
            parser::Parser::new(&source.normalized, terms, tokens, lex_warnings)
                .parse()
                .map_err(locate)?;
        parser::check_positive(&expr).map_err(locate)?;
        lint::lint(&expr, &mut raw_warnings);
        raw_warnings.sort_by_key(|warning| warning.offset);
        let warnings = raw_warnings
            .into_iter()
            .map(|warning| {
                let (column, byte_offset) = source.locate(warning.offset);
                Warning {
                    column,
                    byte_offset,
                    message: warning.message,
                    hint: warning.hint,
                }
            })
            .collect();
        Ok(Query { expr, warnings })
    }

    /// The syntax tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The canonical form: every operator explicit, groups parenthesised.
    pub fn normalized(&self) -> String {
        self.expr.to_string()
    }
}

/// The fields a query can name, for messages and documentation.
pub const KNOWN_FIELDS: &str = lexer::KNOWN_FIELDS;
