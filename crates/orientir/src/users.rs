//! `orientir user add|token` and the demo's accounts: one per role, passwords printed once.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_store::{NewUser, Store};
use orientir_web::auth::credentials::{
    generate_password, hash_password, new_token, password_problem, sha256_hex,
};

pub struct AddUser {
    pub login: String,
    pub role: String,
    pub scope: String,
    pub name: Option<String>,
    pub curate: Vec<String>,
}

pub async fn add(store: &Store, request: AddUser) -> anyhow::Result<()> {
    let login = request.login.trim();
    anyhow::ensure!(
        !login.is_empty() && !login.contains(char::is_whitespace),
        "логин не должен быть пустым или содержать пробелы: «{login}»"
    );
    let role = Role::parse(&request.role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let scope = Scope::parse(&request.scope).map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
    let curated = request
        .curate
        .iter()
        .map(|id| SchoolId::parse(id).map_err(|e| anyhow::anyhow!("--curate {id}: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(
        curated.is_empty() || role == Role::Curator,
        "--curate подходит только для роли curator"
    );
    let stdin = std::io::stdin();
    let (password, generated) = if stdin.is_terminal() {
        (generate_password(), true)
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .context("пароль не прочитан из stdin")?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            (generate_password(), true)
        } else {
            (line, false)
        }
    };
    if let Some(problem) = password_problem(&password) {
        anyhow::bail!("{problem}");
    }
    if store.place_of_owner(&scope).await?.is_none() {
        anyhow::bail!(
            "--scope {}: такого региона, муниципалитета или школы в базе нет",
            request.scope.trim()
        );
    }
    let hash = hash_password(&password)?;
    let id = store
        .add_user(&NewUser {
            login,
            full_name: request.name.as_deref().unwrap_or(login),
            role,
            scope: &scope,
            password_hash: &hash,
        })
        .await?;
    for school in &curated {
        store.assign_curator(id, school).await?;
    }
    println!(
        "Пользователь «{login}» создан: {} ({}).",
        role.label(),
        request.scope.trim()
    );
    if generated {
        println!("Пароль (показан один раз): {password}");
    }
    Ok(())
}

pub async fn token(store: &Store, login: &str, name: &str) -> anyhow::Result<()> {
    let user = store
        .credentials(login)
        .await?
        .with_context(|| format!("нет пользователя с логином «{login}»"))?;
    let token = new_token();
    store
        .add_api_token(user.id, name, &sha256_hex(token.as_bytes()))
        .await?;
    println!(
        "API-токен «{name}» для «{login}» (показан один раз; передавайте в заголовке Authorization: Bearer):"
    );
    println!("{token}");
    Ok(())
}

/// One account per role in the demo region; returns (login, role label, password) to print.
pub async fn demo_users(
    store: &Store,
    region: i64,
    municipality: i64,
    school: &SchoolId,
    curated: &[SchoolId],
) -> anyhow::Result<Vec<(String, &'static str, String)>> {
    let accounts = [
        ("region", Role::RegionalCoordinator, Scope::Region(region)),
        (
            "moyo",
            Role::MunicipalCoordinator,
            Scope::Municipality(municipality),
        ),
        ("curator", Role::Curator, Scope::Municipality(municipality)),
        ("school", Role::SchoolLead, Scope::School(school.clone())),
        ("expert", Role::Reviewer, Scope::Municipality(municipality)),
        ("observer", Role::Observer, Scope::Region(region)),
    ];
    // argon2id is deliberately slow: hash the six passwords on all cores at once.
    let passwords: Vec<String> = accounts.iter().map(|_| generate_password()).collect();
    let hashes: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = passwords
            .iter()
            .map(|password| scope.spawn(move || hash_password(password)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("хэширование пароля прервано"))?
                    .map_err(anyhow::Error::from)
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let mut printed = Vec::new();
    for (((login, role, scope), password), hash) in accounts.into_iter().zip(passwords).zip(hashes)
    {
        let id = store
            .add_user(&NewUser {
                login,
                full_name: &format!("Демо: {}", role.label()),
                role,
                scope: &scope,
                password_hash: &hash,
            })
            .await?;
        if role == Role::Curator {
            for school in curated {
                store.assign_curator(id, school).await?;
            }
        }
        printed.push((login.to_owned(), role.label(), password));
    }
    Ok(printed)
}
