//! The OpenAPI 3.1 document, generated from the handlers' annotations and
//! the wire types, so it cannot drift from the code.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::routes::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Vane", description = "Public-opinion monitoring and crisis PR (风向标): topics, sources, mentions, search, stories, time series and live events."),
    paths(
        health::health, crate::metrics::metrics,
        topics::list, topics::create, topics::show, topics::replace, topics::remove,
        series::series, breakdown::breakdown, query::check, query::preview,
        sources::list, sources::activity, sources::create, sources::show, sources::replace, sources::remove,
        mentions::list, documents::list, documents::show, search::search,
        stories::list, stories::show, dead_letters::list, ingest::ingest, stream::stream,
        warnings::list, warnings::current, warnings::acknowledge, warnings::mute, warnings::unmute,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&Security)
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as JSON text.
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

pub(crate) async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
