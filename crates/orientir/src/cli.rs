//! The command-line interface: what a user can type.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "orientir",
    version,
    about = "Ориентир: адресная поддержка школ с низкими образовательными результатами"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// База данных: sqlite://ФАЙЛ (по умолчанию) или postgres://ПОЛЬЗОВАТЕЛЬ@ХОСТ/БАЗА
    #[arg(long, env = "ORIENTIR_DB", default_value = orientir_store::DEFAULT_URL)]
    pub db: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Учётные записи пользователей
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Запустить веб-приложение
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Адрес и порт, на которых принимать запросы
        #[arg(long, env = "ORIENTIR_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Заполнить пустую базу демонстрационным регионом
        #[arg(long)]
        demo: bool,
    },
    /// Применить миграции схемы базы данных
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Заполнить пустую базу демонстрационным регионом
    Demo {
        #[command(flatten)]
        db: DbArg,
    },
    /// Загрузить данные из файла
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Выявление ШНОР: CSV school_id,reason или JSON с ячейками, по которым принято решение.
    /// С --schools и --results — по файлам (без базы данных); без них — по результатам и реестру
    /// в базе данных (import results, import schools)
    Identify {
        /// Реестр школ (как для import schools); только вместе с --results
        #[arg(long)]
        schools: Option<PathBuf>,
        /// Результаты обучающихся: year,procedure,subject,grade,school_id,student_id,score,mark;
        /// только вместе с --schools
        #[arg(long)]
        results: Option<PathBuf>,
        /// Год выявления (учебный год по году начала: 2024 = 2024/2025)
        #[arg(long)]
        year: i32,
        /// Правило в формате TOML (по умолчанию — встроенное)
        #[arg(long)]
        rule: Option<PathBuf>,
        /// Формат вывода
        #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
        format: OutputFormat,
        /// Записать в файл вместо stdout
        #[arg(long)]
        out: Option<PathBuf>,
        /// Пропустить строки с ошибками (они перечисляются) вместо отказа от всего файла
        #[arg(long)]
        skip_bad_rows: bool,
        /// Записать решения в историю статусов школ за год (ШНОР, зона риска, ШНСУ,
        /// наставники; источник — версия правила); только при выявлении по базе данных
        #[arg(long)]
        save: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Сгенерировать правдоподобные файлы реестра и результатов (schools.csv, results.csv) для
    /// проверок и замеров; одинаковые параметры дают одинаковые файлы
    DemoResults {
        /// Папка, куда записать файлы
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
        /// Число школ (регион — около 1 000, страна — около 40 000)
        #[arg(long, default_value_t = 1000)]
        schools: usize,
        /// Годы через запятую
        #[arg(long, value_delimiter = ',', default_values_t = [2022, 2023, 2024])]
        years: Vec<i32>,
        /// Примерное число результатов на школу в год
        #[arg(long, default_value_t = 520)]
        rows_per_school_year: usize,
        /// Зерно генератора
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Дорожные карты
    Roadmap {
        #[command(subcommand)]
        what: RoadmapCommand,
    },
    /// Замеры производительности (печатают время; ничего не записывают)
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RoadmapCommand {
    /// Разобрать документ дорожной карты (текст, HTML или DOCX) и вывести её в формате JSON;
    /// предупреждения о том, что не удалось разместить, выводятся в stderr
    Import {
        /// Файл документа
        file: PathBuf,
        /// Сохранить дорожную карту в базе данных (версия 1, черновик)
        #[arg(long, requires = "owner")]
        save: bool,
        /// Владелец: region:ID, municipality:ID или school:КОД
        #[arg(long, value_parser = parse_scope)]
        owner: Option<orientir_domain::registry::Scope>,
        #[command(flatten)]
        db: DbArg,
    },
}

fn parse_scope(raw: &str) -> Result<orientir_domain::registry::Scope, String> {
    orientir_domain::registry::Scope::parse(raw).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Время разбора документов дорожных карт (по умолчанию — ../shared/seeds)
    RoadmapImport {
        /// Файлы или папки с документами
        #[arg(default_value = "../shared/seeds")]
        paths: Vec<PathBuf>,
        /// Сколько раз повторить разбор всех файлов
        #[arg(long, default_value_t = 200)]
        rounds: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Реестр школ: CSV (, ; или табуляция; UTF-8 или Windows-1251) или XLSX с заголовком
    /// school_id,name,region,municipality,locality,kind,students[,low_income,…]
    Schools {
        /// Файл реестра
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Результаты ВПР/ОГЭ/ЕГЭ: результаты обучающихся (year,procedure,subject,grade,school_id,
    /// student_id,score,mark) агрегируются по школам при чтении, или агрегированный файл
    /// (school_id,year,procedure,subject,grade,participants,failed,…). Хранятся только ячейки
    /// (школа, год, процедура, предмет, класс); повторная загрузка заменяет те же ячейки
    Results {
        /// Файл результатов (CSV; агрегированный — также XLSX)
        file: PathBuf,
        /// Файл агрегированный (иначе определяется по заголовку)
        #[arg(long)]
        aggregated: bool,
        /// Пропустить строки с ошибками (они перечисляются) вместо отказа от всего файла
        #[arg(long)]
        skip_bad_rows: bool,
        #[command(flatten)]
        db: DbArg,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Создать пользователя с ролью. Пароль читается из stdin (первая строка), если stdin не
    /// терминал; иначе создаётся и печатается один раз
    Add {
        /// Логин для входа
        #[arg(long)]
        login: String,
        /// Роль: regional_coordinator, municipal_coordinator, curator, school_lead, reviewer, observer
        #[arg(long)]
        role: String,
        /// Область действия роли: region:ID, municipality:ID или school:КОД
        #[arg(long)]
        scope: String,
        /// Фамилия, имя, отчество (по умолчанию — логин)
        #[arg(long)]
        name: Option<String>,
        /// Куратор: закрепить за школой (можно повторять)
        #[arg(long = "curate")]
        curate: Vec<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Выдать личный API-токен (печатается один раз; в базе хранится только его хэш)
    Token {
        #[arg(long)]
        login: String,
        /// Название токена, например «выгрузка в 1С»
        #[arg(long, default_value = "API")]
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
}
