//! Deterministic generator of realistic `results.csv` and `schools.csv`
//! files, for tests and benchmarks. Same spec and seed → same bytes.

use std::io::{self, Write};

use super::hash::fmix64;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenSpec {
    pub schools: usize,
    pub years: Vec<i32>,
    pub seed: u64,
    /// Approximate rows per school and year (national scale ≈ 520: 40 000
    /// schools × 3 years ≈ 62 M rows).
    pub rows_per_school_year: usize,
    /// Real-world formatting noise (still no invalid rows): BOM, `;`, CRLF,
    /// decimal commas, blank lines, a repeated header, quoted fields.
    pub dirty: bool,
}

impl Default for GenSpec {
    fn default() -> Self {
        GenSpec {
            schools: 100,
            years: vec![2022, 2023, 2024],
            seed: 1,
            rows_per_school_year: 520,
            dirty: false,
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenSummary {
    pub rows: u64,
    pub bytes: u64,
}

const OTHER_VPR: [&str; 5] = ["bio", "hist", "geo", "soc", "phys"];
const ELECTIVES: [&str; 8] = ["soc", "bio", "geo", "inf", "hist", "phys", "chem", "en"];
const HEADER: &str = "year,procedure,subject,grade,school_id,student_id,score,mark";

/// Per-school parameters, independent of the years generated.
struct SchoolParams {
    ability: f32,
    class_size: usize,
    rng: fastrand::Rng,
}

fn school_params(spec: &GenSpec, index: usize) -> SchoolParams {
    let mut rng = fastrand::Rng::with_seed(fmix64(spec.seed ^ fmix64(index as u64 + 1)));
    // About one school in eight is weak: ≥ 30 % of its VPR results fail.
    let weak = rng.u32(0..8) == 0;
    let ability = normal(&mut rng) * 0.35 + if weak { -0.9 } else { 0.15 };
    let base = (spec.rows_per_school_year as f32 / 17.7).max(1.0);
    let class_size = ((base * (0.3 + 1.4 * rng.f32())).round() as usize).clamp(1, 999);
    SchoolParams {
        ability,
        class_size,
        rng,
    }
}

/// Approximately standard normal (Irwin–Hall with 4 uniforms).
fn normal(rng: &mut fastrand::Rng) -> f32 {
    (rng.f32() + rng.f32() + rng.f32() + rng.f32() - 2.0) * 1.732_050_8
}

/// Output buffer with cheap integer formatting.
struct Out<'w, W: Write> {
    buf: Vec<u8>,
    out: &'w mut W,
    sep: u8,
    eol: &'static [u8],
    bytes: u64,
}

impl<W: Write> Out<'_, W> {
    fn num(&mut self, mut v: u64) {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&tmp[i..]);
    }

    fn text(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn sep(&mut self) {
        self.buf.push(self.sep);
    }

    fn eol(&mut self) -> io::Result<()> {
        self.buf.extend_from_slice(self.eol);
        if self.buf.len() >= 1 << 20 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

/// One generated pupil result.
struct Result_ {
    procedure: &'static str,
    subject: &'static str,
    grade: u8,
    student: u64,
    /// Score in tenths.
    score_tenths: u32,
    mark: Option<u8>,
}

/// Writes a results.csv for `spec`.
pub fn generate(spec: &GenSpec, out: &mut impl Write) -> io::Result<GenSummary> {
    let mut o = Out {
        buf: Vec::with_capacity(2 << 20),
        out,
        sep: if spec.dirty { b';' } else { b',' },
        eol: if spec.dirty { b"\r\n" } else { b"\n" },
        bytes: 0,
    };
    if spec.dirty {
        o.buf.extend_from_slice(super::text::BOM);
    }
    let header = |o: &mut Out<'_, _>| -> io::Result<()> {
        let h = if o.sep == b';' {
            HEADER.replace(',', ";")
        } else {
            HEADER.to_owned()
        };
        o.text(&h);
        o.eol()
    };
    header(&mut o)?;
    let mut rows = 0u64;
    let mut noise = fastrand::Rng::with_seed(spec.seed ^ 0xd1f7);
    let mut params: Vec<SchoolParams> = (0..spec.schools).map(|i| school_params(spec, i)).collect();
    let mut batch: Vec<Result_> = Vec::new();
    for (yi, &year) in spec.years.iter().enumerate() {
        if spec.dirty && yi > 0 {
            // Concatenated yearly exports: a blank line and a repeated header.
            o.eol()?;
            header(&mut o)?;
        }
        for (si, school) in params.iter_mut().enumerate() {
            batch.clear();
            school_year(school, si, year, &mut batch);
            for r in &batch {
                write_row(&mut o, spec, &mut noise, year, si, r)?;
                rows += 1;
                if spec.dirty && noise.u32(0..2000) == 0 {
                    o.eol()?;
                }
            }
        }
    }
    o.flush()?;
    Ok(GenSummary {
        rows,
        bytes: o.bytes,
    })
}

fn write_row<W: Write>(
    o: &mut Out<'_, W>,
    spec: &GenSpec,
    noise: &mut fastrand::Rng,
    year: i32,
    school: usize,
    r: &Result_,
) -> io::Result<()> {
    o.num(year.unsigned_abs().into());
    o.sep();
    o.text(r.procedure);
    o.sep();
    o.text(r.subject);
    o.sep();
    o.num(r.grade.into());
    o.sep();
    let quoted = spec.dirty && noise.u32(0..500) == 0;
    if quoted {
        o.buf.push(b'"');
    }
    o.buf.push(b'S');
    let id = school as u64;
    // Six digits, zero-padded.
    let mut digits = [b'0'; 6];
    let mut v = id;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    if v > 0 {
        o.num(id);
    } else {
        o.buf.extend_from_slice(&digits);
    }
    if quoted {
        o.buf.push(b'"');
    }
    o.sep();
    o.buf.push(b'P');
    o.num(r.student);
    o.sep();
    o.num(u64::from(r.score_tenths / 10));
    if r.score_tenths % 10 != 0 {
        o.buf.push(if o.sep == b';' { b',' } else { b'.' });
        o.num(u64::from(r.score_tenths % 10));
    }
    o.sep();
    if let Some(m) = r.mark {
        o.num(m.into());
    }
    o.eol()
}

/// Results of one school in one year.
fn school_year(p: &mut SchoolParams, school: usize, year: i32, out: &mut Vec<Result_>) {
    let c = p.class_size;
    let student = |grade: u8, k: usize| -> u64 {
        let cohort = (year - i32::from(grade)).rem_euclid(40) as u64;
        school as u64 * 40_000 + cohort * 1000 + k as u64
    };
    let rng = &mut p.rng;
    let a = p.ability;
    for grade in 4u8..=8 {
        let other = OTHER_VPR[(year as usize + grade as usize) % OTHER_VPR.len()];
        for k in 0..c {
            let id = student(grade, k);
            for subject in ["ru", "math"] {
                out.push(vpr(rng, a, "VPR", subject, grade, id, 30, [10, 16, 23]));
            }
            if grade >= 5 && rng.bool() {
                out.push(vpr(rng, a, "VPR", other, grade, id, 30, [10, 16, 23]));
            }
        }
    }
    for k in 0..c {
        let id = student(9, k);
        out.push(vpr(rng, a, "OGE", "ru", 9, id, 33, [11, 20, 28]));
        out.push(vpr(rng, a, "OGE", "math", 9, id, 31, [10, 17, 24]));
        let e1 = rng.usize(0..ELECTIVES.len());
        let e2 = (e1 + 1 + rng.usize(0..ELECTIVES.len() - 1)) % ELECTIVES.len();
        for subject in [ELECTIVES[e1], ELECTIVES[e2]] {
            out.push(vpr(rng, a, "OGE", subject, 9, id, 40, [12, 22, 31]));
        }
    }
    for k in 0..c.div_ceil(2) {
        let id = student(11, k);
        out.push(ege(rng, a, "ru", id));
        if rng.u32(0..10) < 9 {
            out.push(ege(rng, a, "math", id));
        }
        let n = 1 + rng.usize(0..2);
        let first = rng.usize(0..ELECTIVES.len());
        for j in 0..n {
            out.push(ege(rng, a, ELECTIVES[(first + j) % ELECTIVES.len()], id));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn vpr(
    rng: &mut fastrand::Rng,
    ability: f32,
    procedure: &'static str,
    subject: &'static str,
    grade: u8,
    student: u64,
    max: u32,
    cuts: [u32; 3],
) -> Result_ {
    let latent = ability + normal(rng);
    let mean = cuts[0] as f32 + 0.85 * (cuts[1] - cuts[0]) as f32;
    let score = (mean + latent * (cuts[1] - cuts[0]) as f32)
        .round()
        .clamp(0.0, max as f32) as u32;
    let mark = match score {
        s if s < cuts[0] => 2,
        s if s < cuts[1] => 3,
        s if s < cuts[2] => 4,
        _ => 5,
    };
    // Some OGE subjects give half points.
    let half = procedure == "OGE" && subject != "ru" && subject != "math" && rng.u32(0..4) == 0;
    let tenths = (score * 10 + if half && score < max { 5 } else { 0 }).min(max * 10);
    Result_ {
        procedure,
        subject,
        grade,
        student,
        score_tenths: tenths,
        mark: Some(mark),
    }
}

fn ege(rng: &mut fastrand::Rng, ability: f32, subject: &'static str, student: u64) -> Result_ {
    let latent = ability + normal(rng);
    let score = (60.0 + 16.0 * latent).round().clamp(0.0, 100.0) as u32;
    Result_ {
        procedure: "EGE",
        subject,
        grade: 11,
        student,
        score_tenths: score * 10,
        mark: None,
    }
}

/// Writes a schools.csv matching [`generate`] for the same spec.
pub fn generate_schools_csv(spec: &GenSpec, out: &mut impl Write) -> io::Result<GenSummary> {
    const KINDS: [&str; 6] = ["СОШ", "СОШ", "ООШ", "НОШ", "Гимназия", "Лицей"];
    let mut text = String::from(
        "school_id,name,region,municipality,locality,kind,students,low_income,single_parent,non_native,disability,parents_higher_ed,on_register\n",
    );
    for i in 0..spec.schools {
        let p = school_params(spec, i);
        let mut rng = fastrand::Rng::with_seed(fmix64(spec.seed ^ 0x5c40_0115 ^ i as u64));
        let kind = KINDS[rng.usize(0..KINDS.len())];
        let rural = rng.u32(0..3) == 0;
        let students = p.class_size * 11 + rng.usize(0..20);
        // Weaker schools tend to have harder social context.
        let pressure = (0.5 - p.ability * 0.4).clamp(0.0, 1.0);
        let share = |rng: &mut fastrand::Rng, base: f32| -> f32 {
            ((base * (0.5 + pressure) + rng.f32() * 0.1) * 1000.0).round() / 1000.0
        };
        let low_income = share(&mut rng, 0.2).min(1.0);
        let single_parent = share(&mut rng, 0.15).min(1.0);
        let non_native = share(&mut rng, 0.05).min(1.0);
        let disability = share(&mut rng, 0.03).min(1.0);
        let higher = (0.6 - share(&mut rng, 0.3)).clamp(0.0, 1.0);
        let register = share(&mut rng, 0.02).min(1.0);
        text.push_str(&format!(
            "S{i:06},\"МБОУ {kind} № {}\",Регион {:02},Муниципалитет {},{},{kind},{students},{low_income},{single_parent},{non_native},{disability},{higher:.3},{register}\n",
            i % 300 + 1,
            i % 85 + 1,
            i % 60 + 1,
            if rural { "село" } else { "город" },
        ));
    }
    out.write_all(text.as_bytes())?;
    Ok(GenSummary {
        rows: spec.schools as u64,
        bytes: text.len() as u64,
    })
}
