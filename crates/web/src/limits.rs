//! How large a request body may be, in one place. The authentication middleware enforces the
//! limit of the route a request matched (before any handler or extractor reads the body), and
//! axum's own per-extractor limit is switched off, so no second, smaller limit can refuse an
//! upload the page promised to take.

use axum::extract::MatchedPath;
use axum::http::request::Parts;

/// The largest road-map document: real DOCX road maps with scanned signatures reach several MB.
pub const ROAD_MAP_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The largest evidence file (подтверждающий документ).
pub const EVIDENCE_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Room for a multipart form's other fields and boundaries around its file.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The limit of one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit {
    pub bytes: usize,
    /// What may be sent, for the refusal: «файл дорожной карты — не больше 20 МБ».
    what: &'static str,
    /// The limit as people read it.
    shown: usize,
}

impl BodyLimit {
    const fn file(bytes: usize, what: &'static str) -> Self {
        Self {
            bytes: bytes + FORM_OVERHEAD,
            what,
            shown: bytes,
        }
    }

    /// The refusal shown with 413.
    pub fn message(&self) -> String {
        format!(
            "Слишком большой запрос: {} — не больше {} МБ. Уменьшите файл (например, сохраните \
             скан с меньшим разрешением) или разделите его на части.",
            self.what,
            self.shown.div_ceil(1024 * 1024)
        )
    }
}

pub const ROAD_MAP_FILE: BodyLimit = BodyLimit::file(ROAD_MAP_FILE_BYTES, "файл дорожной карты");
pub const EVIDENCE_FILE: BodyLimit =
    BodyLimit::file(EVIDENCE_FILE_BYTES, "файл подтверждающего документа");
/// The preview's save form carries the parsed road map (JSON) in a hidden field.
const ROAD_MAP_DATA: BodyLimit = BodyLimit::file(32 * 1024 * 1024, "данные дорожной карты");
/// Every other form and API call: text typed by a person.
const FORM: BodyLimit = BodyLimit::file(1024 * 1024, "форма");

/// The limit of the route `parts` matched.
pub fn for_request(parts: &Parts) -> BodyLimit {
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    match route {
        Some("/road-maps/preview") => ROAD_MAP_FILE,
        Some("/road-maps") => ROAD_MAP_DATA,
        Some("/road-maps/{id}/activities/{key}/evidence") => EVIDENCE_FILE,
        _ => FORM,
    }
}
