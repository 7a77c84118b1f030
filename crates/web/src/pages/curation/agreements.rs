//! Соглашение о наставничестве: the form (number, dates, term, mentor school: schools with the
//! mentor status in force first, then every other school of the region) and its submission, which
//! stores the agreement and creates its joint plan, a draft road map of the supported school.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::registry::SchoolId;
use orientir_store::{NewAgreement, StoreError};
use serde::Deserialize;

use super::{FormError, SchoolContext, parse_date, require_coordinator, school_context};
use crate::auth::{Auth, Session, SessionView};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::pages::road_map::Crumb;
use crate::view::SelectOption;
use crate::{AppState, WebError};

/// What the user typed, kept when the form comes back with an error.
#[derive(Deserialize, Default)]
pub struct AgreementForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    mentor: String,
}

#[derive(Template)]
#[template(path = "curation_agreement.html")]
struct AgreementPage {
    session: SessionView,
    crumbs: Vec<Crumb>,
    school_name: String,
    card_href: String,
    action: String,
    fields: AgreementForm,
    mentors: Vec<SelectOption>,
    others: Vec<SelectOption>,
    error: Option<FormError>,
}

impl AgreementPage {
    /// Whether the error is about `field` (for `aria-invalid`).
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.field == field)
    }
}

async fn render(
    state: &AppState,
    session: &Session,
    school: &SchoolContext,
    fields: AgreementForm,
    error: Option<FormError>,
) -> Result<Response, WebError> {
    let schools = state.store.region_schools(school.place.region_id()).await?;
    let option = |s: &orientir_store::RegionSchool| {
        SelectOption::new(
            s.id.clone(),
            format!("{} ({})", s.name, s.municipality_name),
            s.id == fields.mentor.trim(),
        )
    };
    let candidates = schools.iter().filter(|s| s.id != school.id.as_str());
    let mentors = candidates
        .clone()
        .filter(|s| s.is_mentor())
        .map(option)
        .collect();
    let others = candidates.filter(|s| !s.is_mentor()).map(option).collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = AgreementPage {
        session: session.view(),
        crumbs: school.crumbs(),
        school_name: school.name.clone(),
        card_href: school.card_href(),
        action: format!("/schools/{}/agreements", school.id),
        fields,
        mentors,
        others,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn agreement_form(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(raw_id): PagePath<String>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    require_coordinator(&session, &school)?;
    Ok(render(&state, &session, &school, AgreementForm::default(), None).await?)
}

/// The form's values checked field by field, in the form's order.
struct Checked {
    mentor: SchoolId,
    signed_on: chrono::NaiveDate,
    valid_from: chrono::NaiveDate,
    valid_to: chrono::NaiveDate,
}

fn check(form: &AgreementForm) -> Result<Checked, FormError> {
    if form.number.trim().trim_start_matches('№').trim().is_empty() {
        return Err(FormError::new("number", "Укажите номер соглашения."));
    }
    let date = |raw: &str, field: &'static str, what: &str| {
        parse_date(raw, what).map_err(|message| FormError::new(field, message))
    };
    let signed_on = date(&form.signed_on, "signed_on", "Дата заключения")?;
    let valid_from = date(&form.valid_from, "valid_from", "Действует с")?;
    let valid_to = date(&form.valid_to, "valid_to", "Действует по")?;
    let mentor = SchoolId::parse(form.mentor.trim())
        .map_err(|_| FormError::new("mentor", "Выберите школу-наставника."))?;
    Ok(Checked {
        mentor,
        signed_on,
        valid_from,
        valid_to,
    })
}

/// Stores the agreement and its joint plan, then returns to the school card; bad input re-renders
/// the form with the reason (422) and stores nothing.
pub async fn create_agreement(
    State(state): State<AppState>,
    Auth(session): Auth,
    PagePath(raw_id): PagePath<String>,
    Form(form): Form<AgreementForm>,
) -> Result<Response, PageError> {
    let school = school_context(&state, &session, &raw_id).await?;
    require_coordinator(&session, &school)?;
    let checked = match check(&form) {
        Ok(checked) => checked,
        Err(error) => return Ok(render(&state, &session, &school, form, Some(error)).await?),
    };
    let agreement = NewAgreement {
        school: &school.id,
        mentor: &checked.mentor,
        number: &form.number,
        signed_on: checked.signed_on,
        valid_from: checked.valid_from,
        valid_to: checked.valid_to,
    };
    if let Some(problem) = agreement.problem() {
        let field = if checked.mentor == school.id {
            "mentor"
        } else if agreement.clean_number().is_empty()
            || agreement.clean_number().chars().count() > orientir_store::curation::MAX_NUMBER_CHARS
        {
            "number"
        } else {
            "valid_to"
        };
        let error = FormError::new(field, problem);
        return Ok(render(&state, &session, &school, form, Some(error)).await?);
    }
    match session.store(&state.store).add_agreement(&agreement).await {
        Ok(_) => Ok(Redirect::to(&format!("{}#agreements", school.card_href())).into_response()),
        Err(StoreError::Conflict(message)) => {
            let error = FormError::new("mentor", message);
            Ok(render(&state, &session, &school, form, Some(error)).await?)
        }
        Err(StoreError::UnknownSchools(_)) => {
            let error = FormError::new(
                "mentor",
                format!(
                    "Школы с кодом «{}» нет в реестре: выберите школу-наставника из списка.",
                    checked.mentor
                ),
            );
            Ok(render(&state, &session, &school, form, Some(error)).await?)
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}
