//! Errors of the schema pipeline: every one names the file and the JSON Pointer it is about.

use std::fmt;

/// What went wrong, as a stable category (used by tests and by the macro's spans).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaErrorKind {
    /// A file could not be read.
    Io,
    /// A file is not valid JSON.
    Json,
    /// The endpoint index is malformed.
    Index,
    /// A keyword outside the supported set.
    UnknownKeyword,
    /// A `format` outside the supported set.
    UnknownFormat,
    /// A `$ref` that points nowhere.
    DanglingRef,
    /// Two generated items would get the same name.
    NameCollision,
    /// A keyword is known but used in a shape the generator cannot represent.
    Unsupported,
    /// A keyword has a value of the wrong JSON type or an impossible value.
    Invalid,
}

/// One problem in the schemas, located by file and JSON Pointer (RFC 6901).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// The category of the problem.
    pub kind: SchemaErrorKind,
    /// The file, relative to the schema directory (as written in the index or in a `$ref`).
    pub file: String,
    /// The JSON Pointer of the offending node inside `file` (`""` for the whole document).
    pub pointer: String,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl SchemaError {
    /// Creates an error of `kind` at `file#pointer`.
    pub fn new(
        kind: SchemaErrorKind,
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        SchemaError {
            kind,
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{}#{}: {}", self.file, pointer, self.message)
    }
}

impl std::error::Error for SchemaError {}

/// Every problem found in one run; the pipeline reports them all, not just the first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaErrors(pub Vec<SchemaError>);

impl SchemaErrors {
    /// Adds one error.
    pub fn push(&mut self, error: SchemaError) {
        self.0.push(error);
    }

    /// `true` when nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no error was recorded, else all the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, SchemaErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<SchemaError> for SchemaErrors {
    fn from(error: SchemaError) -> Self {
        SchemaErrors(vec![error])
    }
}

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaErrors {}
