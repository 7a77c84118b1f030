//! Why a road-map document could not be imported. In-memory imports return it as is; file imports
//! wrap it in `IngestError::RoadMap` with the file's path. Messages are shown to users as they are.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("файл пуст")]
    Empty,
    #[error("файл не похож на текст, HTML или DOCX")]
    NotADocument,
    #[error("в документе нет таблиц")]
    NoTables,
    #[error(
        "не найдена таблица мероприятий: ни в одной таблице нет столбца «Мероприятия»/«Задачи» \
         («Содержание деятельности», «Наименование мероприятия»)"
    )]
    NoActivityTable,
    #[error("повреждённый DOCX: {0}")]
    BrokenZip(String),
    #[error("повреждённый XML в DOCX (байт {position}): {message}")]
    BrokenXml { position: u64, message: String },
    #[error(
        "документ слишком велик: {} МБ, допустимо не больше {} МБ",
        megabytes(*.bytes),
        megabytes(*.max)
    )]
    TooLarge { bytes: usize, max: usize },
    #[error(
        "элементы документа вложены друг в друга глубже {max} уровней (строка {line}); \
         это не похоже на дорожную карту"
    )]
    TooDeep { max: usize, line: u64 },
    #[error("в таблицах документа больше {max} строк; это не похоже на дорожную карту")]
    TooManyRows { max: usize },
    #[error("в таблицах документа больше {max} ячеек; это не похоже на дорожную карту")]
    TooManyCells { max: usize },
    #[error("в документе больше {} МБ текста; это не похоже на дорожную карту", megabytes(*.max))]
    TooMuchText { max: usize },
    #[error("в документе {count} мероприятий, допустимо не больше {max}")]
    TooManyActivities { count: usize, max: usize },
    #[error("документ не разобран за {seconds} с; он слишком сложен для дорожной карты")]
    TooSlow { seconds: u64 },
}

/// Whole megabytes, rounded up, for the limits' messages.
fn megabytes(bytes: usize) -> usize {
    bytes.div_ceil(1024 * 1024)
}
