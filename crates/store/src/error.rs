//! The store's one error type.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "неподдерживаемый адрес базы данных «{0}»: ожидается sqlite://ФАЙЛ или postgres://ПОЛЬЗОВАТЕЛЬ@ХОСТ/БАЗА"
    )]
    UnsupportedUrl(String),
    #[error("не удалось открыть базу данных {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("не удалось применить миграции базы данных: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("ошибка базы данных: {0}")]
    Db(#[from] sqlx::Error),
    #[error("в реестре нет школ с кодами: {}", .0.join(", "))]
    UnknownSchools(Vec<String>),
    #[error("нет такого владельца дорожной карты: {0}")]
    UnknownOwner(String),
    #[error("ячейка результатов повторяется в одном импорте: {0}")]
    DuplicateResultCell(String),
    #[error("недопустимая ячейка результатов: {0}")]
    InvalidResultCell(String),
    #[error("дорожная карта с номером {0} не найдена")]
    NoSuchRoadMap(i64),
    #[error("в разделе {} нет мероприятия № {} по порядку", .section + 1, .index + 1)]
    NoSuchActivity { section: usize, index: usize },
    #[error("в дорожной карте нет раздела № {} по порядку", .0 + 1)]
    NoSuchSection(usize),
    #[error("{0}")]
    Conflict(String),
    #[error("в базе данных недопустимое значение: {0}")]
    Corrupt(String),
}

/// Hides the password of a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn password_is_hidden() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact_url("sqlite://a.db"), "sqlite://a.db");
    }
}
