//! `dualprev openapi`: prints the OpenAPI document (the one committed as `openapi/openapi.json`).

/// Prints the document to standard output.
pub fn run() {
    print!("{}", api::openapi_json());
}
