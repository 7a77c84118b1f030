//! Exact comparisons of shares and percentage points.
//!
//! Rule parameters are given as `f64` in the TOML file, but every comparison
//! with observed counts is done in integers: a parameter is turned into a
//! fraction with denominator [`SHARE_DENOMINATOR`] by rounding, and the
//! comparison is a cross multiplication in `u128`/`i128`. So 3 failed of 10
//! reaches a 0.3 threshold even though `0.1 + 0.2 > 0.3` in floating point.

/// Denominator of the exact fraction a share parameter is rounded to.
pub const SHARE_DENOMINATOR: u64 = 10_000;

/// Converts a parameter to the nearest integer multiple of `1 / scale`;
/// NaN and negative values become 0.
fn to_fixed(value: f64, scale: f64) -> u64 {
    let scaled = (value * scale).round();
    if scaled.is_nan() || scaled <= 0.0 {
        0
    } else {
        // Saturating float-to-int conversion; values are validated long before.
        scaled as u64
    }
}

/// A share parameter (0..=1) as the exact fraction `num / 10_000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Share {
    num: u64,
}

impl Share {
    /// Rounds `value` to the nearest 1/10 000.
    pub fn from_f64(value: f64) -> Share {
        Share {
            num: to_fixed(value, SHARE_DENOMINATOR as f64),
        }
    }

    /// Numerator over [`SHARE_DENOMINATOR`].
    pub fn numerator(self) -> u64 {
        self.num
    }

    /// `failed / participants >= self`, exactly. With no participants the
    /// observed share is taken as 0.
    pub fn reached_by(self, failed: u64, participants: u64) -> bool {
        if participants == 0 {
            return self.num == 0;
        }
        u128::from(failed) * u128::from(SHARE_DENOMINATOR)
            >= u128::from(self.num) * u128::from(participants)
    }

    /// `failed / participants <= self`, exactly. With no participants the
    /// observed share is taken as 0.
    pub fn not_exceeded_by(self, failed: u64, participants: u64) -> bool {
        if participants == 0 {
            return true;
        }
        u128::from(failed) * u128::from(SHARE_DENOMINATOR)
            <= u128::from(self.num) * u128::from(participants)
    }

    /// `ceil(n · self)`, exactly.
    pub fn ceil_of(self, n: usize) -> usize {
        let n = n as u128;
        let product = n * u128::from(self.num);
        let den = u128::from(SHARE_DENOMINATOR);
        let result = product.div_ceil(den);
        usize::try_from(result).unwrap_or(usize::MAX)
    }
}

/// A difference of shares in percentage points, as the exact fraction
/// `num / 10_000` of a percentage point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Points {
    num: u64,
}

impl Points {
    /// Rounds `value` (percentage points) to the nearest 1/10 000 point.
    pub fn from_f64(value: f64) -> Points {
        Points {
            num: to_fixed(value, SHARE_DENOMINATOR as f64),
        }
    }

    /// Numerator over [`SHARE_DENOMINATOR`] percentage points.
    pub fn numerator(self) -> u64 {
        self.num
    }

    /// Whether the share rose from `before` to `after` (each `(failed,
    /// participants)`) by at least `self` percentage points, exactly.
    /// Cells without participants never count as a rise.
    pub fn risen(self, before: (u64, u64), after: (u64, u64)) -> bool {
        let (f0, n0) = (i128::from(before.0), i128::from(before.1));
        let (f1, n1) = (i128::from(after.0), i128::from(after.1));
        if n0 == 0 || n1 == 0 {
            return false;
        }
        // f1/n1 - f0/n0 >= num / (10_000 · 100)
        // <=> 1_000_000 · (f1·n0 - f0·n1) >= num · n0 · n1
        let scale = i128::from(SHARE_DENOMINATOR) * 100;
        scale * (f1 * n0 - f0 * n1) >= i128::from(self.num) * n0 * n1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_rounds_to_ten_thousandths() {
        assert_eq!(Share::from_f64(0.3).numerator(), 3000);
        assert_eq!(Share::from_f64(0.1 + 0.2).numerator(), 3000);
        assert_eq!(Share::from_f64(0.123_456).numerator(), 1235);
        assert_eq!(Share::from_f64(1.0).numerator(), 10_000);
        assert_eq!(Share::from_f64(f64::NAN).numerator(), 0);
        assert_eq!(Share::from_f64(-0.5).numerator(), 0);
    }

    #[test]
    fn reached_is_exact() {
        let share = Share::from_f64(0.1 + 0.2);
        // In floating point 3.0 / 10.0 < 0.1 + 0.2.
        let (a, b) = std::hint::black_box((0.1_f64, 0.2_f64));
        assert!(3.0 / 10.0 < a + b);
        assert!(share.reached_by(3, 10));
        assert!(!share.reached_by(2, 10));
        assert!(share.reached_by(30, 100));
        assert!(!share.reached_by(299, 1000));
        assert!(Share::from_f64(0.0).reached_by(0, 0));
        assert!(!Share::from_f64(0.1).reached_by(0, 0));
    }

    #[test]
    fn not_exceeded_is_exact() {
        let share = Share::from_f64(0.05);
        assert!(share.not_exceeded_by(1, 20));
        assert!(!share.not_exceeded_by(2, 20));
        assert!(share.not_exceeded_by(0, 0));
    }

    #[test]
    fn ceil_is_exact() {
        let share = Share::from_f64(0.1);
        assert_eq!(share.ceil_of(0), 0);
        assert_eq!(share.ceil_of(1), 1);
        assert_eq!(share.ceil_of(10), 1);
        assert_eq!(share.ceil_of(11), 2);
        assert_eq!(share.ceil_of(40_000), 4000);
        assert_eq!(Share::from_f64(0.0).ceil_of(50), 0);
        assert_eq!(Share::from_f64(1.0).ceil_of(50), 50);
    }

    #[test]
    fn risen_is_exact() {
        let ten = Points::from_f64(10.0);
        // (0.3 - 0.2) * 100 is 9.999999999999998 in floating point.
        let (a, b) = std::hint::black_box((0.3_f64, 0.2_f64));
        assert!((a - b) * 100.0 < 10.0);
        assert!(ten.risen((2, 10), (3, 10)));
        assert!(!ten.risen((2, 10), (29, 100)));
        assert!(ten.risen((1, 3), (13, 30)));
        assert!(!ten.risen((3, 10), (2, 10)));
        assert!(!ten.risen((0, 0), (5, 5)));
        assert!(Points::from_f64(0.0).risen((3, 10), (3, 10)));
    }
}
