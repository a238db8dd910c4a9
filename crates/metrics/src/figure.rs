//! A figure: numerator, denominator and rate (`null` when the denominator is 0, never 100 %).

use serde::{Deserialize, Serialize};
use std::ops::{Add, AddAssign};

/// A count with its base, e.g. done / due task instances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
}

impl Figure {
    /// A figure.
    pub fn new(num: u64, den: u64) -> Figure {
        Figure { num, den }
    }

    /// `num / den`, or `None` when `den` is 0.
    pub fn rate(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 / self.den as f64)
    }

    /// The rate as a percentage with one decimal, rounded half up exactly from num/den (1/16 → 6.3%), `n/a` when
    /// there is none (for tables and reports).
    pub fn percent(self) -> String {
        if self.den == 0 {
            return "n/a".to_owned();
        }
        let (n, d) = (u128::from(self.num), u128::from(self.den));
        let tenths = (2000 * n + d) / (2 * d);
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

impl Add for Figure {
    type Output = Figure;
    fn add(self, o: Figure) -> Figure {
        Figure { num: self.num + o.num, den: self.den + o.den }
    }
}

impl AddAssign for Figure {
    fn add_assign(&mut self, o: Figure) {
        *self = *self + o;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_denominators_have_no_rate() {
        assert_eq!(Figure::new(0, 0).rate(), None);
        assert_eq!(Figure::new(0, 0).percent(), "n/a");
        assert_eq!(Figure::new(2, 3).percent(), "66.7%");
        assert_eq!(Figure::new(1, 16).percent(), "6.3%", "6.25 rounds half up");
        assert_eq!(Figure::new(3, 16).percent(), "18.8%");
        assert_eq!(Figure::new(5, 5).percent(), "100.0%");
        assert_eq!(Figure::new(1, 2) + Figure::new(1, 3), Figure::new(2, 5), "sums, never averages");
    }
}
