//! Подтверждающие документы: a file (size limit, type checked by its first bytes, not by what the
//! browser claims; kept with its SHA-256) or a link; served only to users who may read the
//! road map's evidence, always as a download.

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use orientir_domain::access::{Action, Resource};
use orientir_store::NewEvidence;

use super::{back, occurrence_of};
use crate::auth::credentials::sha256_hex;
use crate::auth::{Auth, places};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::{AppState, WebError};

/// The `accept` attribute of the file input.
pub const ACCEPT: &str = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls,.jpg,.jpeg,.png";

/// The type of a file by extension, confirmed by its signature; `None` when they disagree or
/// the type is not accepted.
pub fn file_type(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let (ok, mime) = match extension.as_str() {
        "pdf" => (bytes.starts_with(b"%PDF-"), "application/pdf"),
        "docx" => (
            zip,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            zip,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "pptx" => (
            zip,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        "odt" => (zip, "application/vnd.oasis.opendocument.text"),
        "ods" => (zip, "application/vnd.oasis.opendocument.spreadsheet"),
        "doc" => (ole, "application/msword"),
        "xls" => (ole, "application/vnd.ms-excel"),
        "jpg" | "jpeg" => (bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "image/jpeg"),
        "png" => (bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "image/png"),
        _ => return None,
    };
    ok.then_some(mime)
}

/// A file name as sent, refused when it tries to name a path (`../x`, `a/b`, `C:\x`) or holds
/// control characters: names are shown and offered for download, never used as paths.
pub fn clean_file_name(raw: &str) -> Result<String, WebError> {
    let name = raw.trim();
    let bad = name.is_empty()
        || name.contains(['/', '\\', ':'])
        || name.starts_with('.')
        || name.chars().any(char::is_control)
        || name.chars().count() > 200;
    if bad {
        return Err(WebError::BadRequest(format!(
            "Недопустимое имя файла «{}»: имя не должно содержать путь (/, \\, ..) и служебных знаков.",
            name.chars()
                .filter(|c| !c.is_control())
                .take(80)
                .collect::<String>()
        )));
    }
    Ok(name.to_owned())
}

fn check_url(raw: &str) -> Result<String, WebError> {
    let url = raw.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_control() || c.is_whitespace());
    if ok {
        Ok(url.to_owned())
    } else {
        Err(WebError::BadRequest(
            "Ссылка должна начинаться с https:// или http:// и не содержать пробелов.".to_owned(),
        ))
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath((id, key)): PagePath<(i64, i64)>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Write, Resource::Evidence, &place)?;
    let mut occurrence = String::new();
    let mut url = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let unread = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!(
            "Форма не прочитана (файл не больше {} МБ): {e}.",
            crate::limits::EVIDENCE_FILE_BYTES / 1024 / 1024
        ))
    };
    while let Some(field) = multipart.next_field().await.map_err(unread)? {
        match field.name() {
            Some("occurrence") => occurrence = field.text().await.map_err(unread)?,
            Some("url") => url = field.text().await.map_err(unread)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(unread)?;
                if !name.is_empty() || !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let current = occurrence_of(&state, id, key, &occurrence).await?;
    if current.status == orientir_domain::monitoring::ActivityStatus::Accepted {
        return Err(WebError::BadRequest(
            "Мероприятие принято куратором: подтверждающие документы больше не добавляются."
                .to_owned(),
        )
        .into());
    }
    let store = session.store(&state.store);
    match (file, url.trim().is_empty()) {
        (Some((name, bytes)), _) => {
            let name = clean_file_name(&name)?;
            if bytes.is_empty() {
                return Err(WebError::BadRequest(format!("Файл «{name}» пуст.")).into());
            }
            if bytes.len() > crate::limits::EVIDENCE_FILE_BYTES {
                return Err(WebError::TooLarge(crate::limits::EVIDENCE_FILE.message()).into());
            }
            let content_type = file_type(&name, &bytes).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "Файл «{name}» не принят: допустимы PDF, документы Word/Excel/PowerPoint, \
                     OpenDocument и изображения JPEG/PNG, и содержимое должно совпадать с расширением."
                ))
            })?;
            let sha256 = sha256_hex(&bytes);
            store
                .add_evidence(
                    &current.key,
                    &NewEvidence::File {
                        file_name: &name,
                        content_type,
                        bytes: &bytes,
                        sha256: &sha256,
                    },
                )
                .await?;
        }
        (None, false) => {
            let url = check_url(&url)?;
            store
                .add_evidence(&current.key, &NewEvidence::Link { url: &url })
                .await?;
        }
        (None, true) => {
            return Err(
                WebError::BadRequest("Выберите файл или укажите ссылку.".to_owned()).into(),
            );
        }
    }
    Ok(back(id, key))
}

/// An evidence file, to users who may read the evidence of its road map.
pub async fn download(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let not_found = || WebError::NotFound(format!("Документ № {id} не найден."));
    let file = state.store.evidence_file(id).await?.ok_or_else(not_found)?;
    let place = places::road_map(&state.store, file.road_map_id).await?;
    super::require_read_evidence(&session, &place)?;
    let name = file.file_name.unwrap_or_else(|| format!("document-{id}"));
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                file.content_type
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"document-{id}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        file.content.unwrap_or_default(),
    )
        .into_response())
}

/// Attaches a link as evidence (the API's way; the page's form does the same for links).
pub(crate) async fn attach_link(
    state: &AppState,
    session: &crate::auth::Session,
    id: i64,
    key: i64,
    occurrence: &str,
    url: &str,
) -> Result<i64, WebError> {
    let place = places::road_map(&state.store, id).await?;
    session.require(Action::Write, Resource::Evidence, &place)?;
    let current = occurrence_of(state, id, key, occurrence).await?;
    if current.status == orientir_domain::monitoring::ActivityStatus::Accepted {
        return Err(WebError::BadRequest(
            "Мероприятие принято куратором: подтверждающие документы больше не добавляются."
                .to_owned(),
        ));
    }
    let url = check_url(url)?;
    Ok(session
        .store(&state.store)
        .add_evidence(&current.key, &NewEvidence::Link { url: &url })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_type_needs_extension_and_signature_to_agree() {
        assert_eq!(
            file_type("отчёт.pdf", b"%PDF-1.7 ..."),
            Some("application/pdf")
        );
        assert_eq!(file_type("отчёт.pdf", b"MZ\x90\x00"), None);
        assert_eq!(file_type("script.exe", b"MZ\x90\x00"), None);
        assert_eq!(file_type("без расширения", b"%PDF-"), None);
    }

    #[test]
    fn a_name_that_is_a_path_is_refused() {
        for bad in [
            "../../etc/passwd",
            "..\\boot.ini",
            "a/b.pdf",
            ".htaccess",
            "C:x.pdf",
            "",
        ] {
            assert!(clean_file_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            clean_file_name(" Протокол №3.pdf ").ok().as_deref(),
            Some("Протокол №3.pdf")
        );
    }
}
