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
}
