//! What every text newtype of the domain (`struct T(String)`) has, written once: `as_str`, `Display`,
//! `From<T> for String` and, for the types with a `parse`, `TryFrom<String>` through it (what serde's
//! `try_from = "String"` uses).

/// Implements the common items for `struct $t(String)`; `$t, parse` adds `TryFrom<String>` via `$t::parse(&str)`.
macro_rules! text_newtype {
    ($t:ident) => {
        impl $t {
            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    };
    ($t:ident, parse) => {
        $crate::newtype::text_newtype!($t);

        impl TryFrom<String> for $t {
            type Error = $crate::DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $t::parse(&s)
            }
        }
    };
}

pub(crate) use text_newtype;
