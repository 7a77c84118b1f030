//! The domain's one error type. Messages are in Russian: they reach users of the UI and CLI as they are.

/// A value that breaks a rule of the domain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("пустое значение: {0}")]
    Empty(&'static str),
    #[error(
        "недопустимый код школы «{0}»: ожидаются цифры, латинские буквы, «-» или «_», не длиннее 32 знаков"
    )]
    InvalidSchoolId(String),
    #[error("неизвестный тип местности «{0}»: ожидается «город» или «село»")]
    InvalidLocality(String),
    #[error("число обучающихся должно быть целым неотрицательным числом, получено «{0}»")]
    InvalidEnrolment(String),
    #[error("доля «{value}» в столбце {column} должна быть числом от 0 до 1")]
    InvalidShare { column: &'static str, value: String },
    #[error("неизвестный статус «{0}»: ожидается low_results, social_risk, declining или mentor")]
    InvalidStatus(String),
    #[error("неизвестная роль «{0}»")]
    InvalidRole(String),
    #[error("неверная область действия «{0}»: ожидается region:ID, municipality:ID или school:ID")]
    InvalidScope(String),
    #[error("неверный учебный год «{0}»: ожидается, например, 2024/2025 или 2024")]
    InvalidSchoolYear(String),
    #[error(
        "неизвестный статус мероприятия «{0}»: ожидается planned, in_progress, done, accepted или returned"
    )]
    InvalidActivityStatus(String),
    #[error(transparent)]
    Denied(#[from] crate::access::Denied),
    #[error(transparent)]
    Transition(#[from] crate::monitoring::TransitionError),
}
