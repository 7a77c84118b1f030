//! The web crate's one error type, shown as a real page in Russian (or JSON under `/api`).

use askama::Template;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use orientir_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("требуется вход в систему")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("внутренняя ошибка: {0}")]
    Internal(String),
    #[error("ошибка базы данных: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Export(orientir_report::ReportError),
    #[error("ошибка шаблона страницы: {0}")]
    Template(#[from] askama::Error),
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(_) | Self::Template(_) | Self::Export(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the user is told: the cause for their own mistakes, nothing internal otherwise.
    fn public_message(&self) -> String {
        match self {
            Self::NotFound(message)
            | Self::BadRequest(message)
            | Self::Forbidden(message)
            | Self::TooManyRequests(message)
            | Self::TooLarge(message)
            | Self::Unavailable(message) => message.clone(),
            Self::Unauthorized => {
                "Требуется вход в систему: войдите со своим логином и паролем или передайте \
                 личный API-токен в заголовке Authorization: Bearer."
                    .to_owned()
            }
            Self::Store(_) | Self::Template(_) | Self::Export(_) | Self::Internal(_) => {
                "На сервере произошла ошибка. Попробуйте обновить страницу; если ошибка повторится, \
                 сообщите администратору время, когда она произошла."
                    .to_owned()
            }
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    session: crate::auth::SessionView,
    title: &'static str,
    code: u16,
    message: String,
}

/// An error answered with an HTML page.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(err: E) -> Self {
        Self(err.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let status = err.status();
        if status == StatusCode::UNAUTHORIZED {
            return axum::response::Redirect::to("/login").into_response();
        }
        let title = match status {
            StatusCode::NOT_FOUND => "Страница не найдена",
            StatusCode::BAD_REQUEST => "Неверный запрос",
            StatusCode::FORBIDDEN => "Недостаточно прав",
            StatusCode::TOO_MANY_REQUESTS => "Слишком много попыток",
            StatusCode::PAYLOAD_TOO_LARGE => "Слишком большой файл",
            StatusCode::SERVICE_UNAVAILABLE => "Сервер занят",
            _ => "Ошибка сервера",
        };
        let page = ErrorPage {
            session: crate::auth::SessionView::default(),
            title,
            code: status.as_u16(),
            message: err.public_message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    }
}

/// An error answered with `{"error": "…"}`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        Self(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let body = serde_json::json!({ "error": err.public_message() });
        (err.status(), axum::Json(body)).into_response()
    }
}

/// The fallback: a 404 page, or JSON for API paths.
pub async fn not_found(uri: Uri) -> Response {
    let err = WebError::NotFound(format!("Адрес {} не найден.", uri.path()));
    if uri.path().starts_with("/api/") {
        ApiError(err).into_response()
    } else {
        PageError(err).into_response()
    }
}
