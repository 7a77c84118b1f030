//! Where an addressed object lives, for the permission check; a missing object is a 404.

use orientir_domain::access::Place;
use orientir_domain::registry::SchoolId;
use orientir_store::Store;

use crate::WebError;

pub async fn road_map(store: &Store, id: i64) -> Result<Place, WebError> {
    store
        .place_of_road_map(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Дорожная карта с номером {id} не найдена.")))
}

pub async fn school(store: &Store, id: &SchoolId) -> Result<Place, WebError> {
    store
        .place_of_school(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Школа с кодом «{id}» не найдена.")))
}

pub async fn municipality(store: &Store, id: i64) -> Result<Place, WebError> {
    store
        .place_of_municipality(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Муниципалитет с номером {id} не найден.")))
}

/// Where a road map's owner lives.
pub async fn owner(
    store: &Store,
    owner: &orientir_domain::registry::Scope,
) -> Result<Place, WebError> {
    store
        .place_of_owner(owner)
        .await?
        .ok_or_else(|| WebError::NotFound("Владелец дорожной карты не найден.".to_owned()))
}

/// Region-wide work (identification over every stored school): the user needs the right in
/// every region the database holds.
pub async fn require_everywhere(
    store: &Store,
    session: &super::Session,
    action: orientir_domain::access::Action,
    resource: orientir_domain::access::Resource,
) -> Result<(), WebError> {
    for region in store.regions().await? {
        session.require(action, resource, &Place::region(region.id))?;
    }
    Ok(())
}
