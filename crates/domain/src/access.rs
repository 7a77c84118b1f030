//! The one permission check of DESIGN.md §9: who may do what, where.
//!
//! Every read and write goes through [`allows`] (or [`check`], which explains a refusal in Russian).
//! The check is pure: the caller resolves a user's role assignments into [`Grant`]s whose [`Place`]
//! carries the full path region → municipality → school, and says where the resource lives.
//!
//! A grant *covers* a place inside its own place: a region grant covers everything of that region,
//! a municipality grant the municipality and its schools, a school grant only that school. What a
//! covering grant permits depends on its role (see [`allows`]). Permissions only add up: a principal
//! may do something when at least one of its grants permits it, so an extra grant never takes a
//! permission away, and nothing ever crosses a region's border.

use crate::registry::{Role, SchoolId};

/// Where a resource lives, or where a grant applies: a region, a municipality of it, or a school of
/// that municipality. A school always carries its municipality and region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Place {
    region: i64,
    municipality: Option<i64>,
    school: Option<SchoolId>,
}

impl Place {
    /// The region as a whole (its own pages, plans and lists).
    pub fn region(region: i64) -> Self {
        Self {
            region,
            municipality: None,
            school: None,
        }
    }

    /// A municipality as a whole.
    pub fn municipality(region: i64, municipality: i64) -> Self {
        Self {
            region,
            municipality: Some(municipality),
            school: None,
        }
    }

    /// One school.
    pub fn school(region: i64, municipality: i64, school: SchoolId) -> Self {
        Self {
            region,
            municipality: Some(municipality),
            school: Some(school),
        }
    }

    pub fn region_id(&self) -> i64 {
        self.region
    }

    pub fn municipality_id(&self) -> Option<i64> {
        self.municipality
    }

    pub fn school_id(&self) -> Option<&SchoolId> {
        self.school.as_ref()
    }

    /// Whether `inner` is this place or lies inside it.
    pub fn contains(&self, inner: &Place) -> bool {
        self.region == inner.region
            && self
                .municipality
                .is_none_or(|m| inner.municipality == Some(m))
            && self
                .school
                .as_ref()
                .is_none_or(|s| inner.school.as_ref() == Some(s))
    }

    fn is_region(&self) -> bool {
        self.municipality.is_none() && self.school.is_none()
    }

    fn is_school(&self) -> bool {
        self.school.is_some()
    }
}

/// «регион 1, муниципалитет 3, школа 2401001».
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "регион {}", self.region)?;
        if let Some(municipality) = self.municipality {
            write!(f, ", муниципалитет {municipality}")?;
        }
        if let Some(school) = &self.school {
            write!(f, ", школа {school}")?;
        }
        Ok(())
    }
}

/// A role assignment resolved to a full place. A curator's assignment to a school is a grant with
/// role [`Role::Curator`] at that school; the curator's own role (usually municipality-wide) is another.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub place: Place,
}

/// A signed-in user with every grant they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub login: String,
    pub grants: Vec<Grant>,
}

/// Kinds of things a permission is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// Region, municipality and school pages and dashboards.
    Overview,
    RoadMap,
    /// Activity statuses.
    Progress,
    /// Подтверждающие документы: files and links.
    Evidence,
    Comment,
    /// Curator assignments, mentor agreements, visits.
    Curation,
    Checkpoint,
    /// Results import, rule runs, status lists.
    Identification,
    /// Accounts and roles.
    Users,
    /// The history of changes.
    Audit,
}

impl Resource {
    pub const ALL: [Resource; 10] = [
        Resource::Overview,
        Resource::RoadMap,
        Resource::Progress,
        Resource::Evidence,
        Resource::Comment,
        Resource::Curation,
        Resource::Checkpoint,
        Resource::Identification,
        Resource::Users,
        Resource::Audit,
    ];

    /// The name in the genitive case, as it follows an action: «изменение *дорожной карты*».
    pub fn label(self) -> &'static str {
        match self {
            Self::Overview => "сводных сведений",
            Self::RoadMap => "дорожной карты",
            Self::Progress => "хода выполнения мероприятий",
            Self::Evidence => "подтверждающих документов",
            Self::Comment => "комментариев",
            Self::Curation => "сведений о кураторстве и наставничестве",
            Self::Checkpoint => "контрольных точек",
            Self::Identification => "выявления школ",
            Self::Users => "пользователей и ролей",
            Self::Audit => "истории изменений",
        }
    }
}

/// What is done to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    /// Create or change.
    Write,
    /// Accept or return an activity.
    Review,
    /// Approve a road map version.
    Approve,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Read, Action::Write, Action::Review, Action::Approve];

    /// The action as a noun: «просмотр», «изменение», «проверка», «утверждение».
    pub fn label(self) -> &'static str {
        match self {
            Self::Read => "просмотр",
            Self::Write => "изменение",
            Self::Review => "проверка",
            Self::Approve => "утверждение",
        }
    }
}

/// A refused permission; its message is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Недостаточно прав: {} {} ({})", .action.label(), .resource.label(), .place)]
pub struct Denied {
    pub action: Action,
    pub resource: Resource,
    pub place: Place,
}

/// Whether `principal` may do `action` on `resource` at `place`: true when any of its grants permits it.
///
/// For a place its grant covers, each role permits:
/// - regional coordinator: everything; accounts (`Users`) and identification only through a
///   region-wide grant;
/// - municipal coordinator: everything except accounts; identification and history only to read;
/// - curator, at a school it is assigned to (a school grant): reads everything but accounts, writes
///   road map, progress, evidence, comments and curation (visits), reviews progress; through a
///   wider grant it reads only the road map of the municipality (or region) itself, never a school;
/// - school lead: reads everything but accounts, writes road map, progress, evidence and comments;
/// - reviewer (эксперт): reads overview, road map, progress, evidence, checkpoints and comments,
///   writes comments;
/// - observer: reads everything but accounts and history.
///
/// Besides, any grant lets its holder read the road maps of the places above it (a school lead reads
/// the municipal and regional plans), and nothing else upward.
pub fn allows(principal: &Principal, action: Action, resource: Resource, place: &Place) -> bool {
    principal
        .grants
        .iter()
        .any(|grant| grant_allows(grant, action, resource, place))
}

/// [`allows`], with the refusal explained.
pub fn check(
    principal: &Principal,
    action: Action,
    resource: Resource,
    place: &Place,
) -> Result<(), Denied> {
    if allows(principal, action, resource, place) {
        Ok(())
    } else {
        Err(Denied {
            action,
            resource,
            place: place.clone(),
        })
    }
}

fn grant_allows(grant: &Grant, action: Action, resource: Resource, place: &Place) -> bool {
    let reads_plan_above =
        action == Action::Read && resource == Resource::RoadMap && place.contains(&grant.place);
    reads_plan_above || (grant.place.contains(place) && role_allows(grant, action, resource, place))
}

/// What the grant's role permits at `place`, which the grant covers.
fn role_allows(grant: &Grant, action: Action, resource: Resource, place: &Place) -> bool {
    use Action::{Read, Review, Write};
    use Resource::{
        Audit, Checkpoint, Comment, Curation, Evidence, Identification, Overview, Progress,
        RoadMap, Users,
    };
    match grant.role {
        Role::RegionalCoordinator => {
            !matches!(resource, Users | Identification) || grant.place.is_region()
        }
        Role::MunicipalCoordinator => match resource {
            Users => false,
            Identification | Audit => action == Read,
            _ => true,
        },
        Role::Curator if grant.place.is_school() => match action {
            Read => resource != Users,
            Write => matches!(resource, RoadMap | Progress | Evidence | Comment | Curation),
            Review => resource == Progress,
            Action::Approve => false,
        },
        Role::Curator => action == Read && resource == RoadMap && !place.is_school(),
        Role::SchoolLead => match action {
            Read => resource != Users,
            Write => matches!(resource, RoadMap | Progress | Evidence | Comment),
            Review | Action::Approve => false,
        },
        Role::Reviewer => match action {
            Read => matches!(
                resource,
                Overview | RoadMap | Progress | Evidence | Checkpoint | Comment
            ),
            Write => resource == Comment,
            Review | Action::Approve => false,
        },
        Role::Observer => action == Read && !matches!(resource, Users | Audit),
    }
}
