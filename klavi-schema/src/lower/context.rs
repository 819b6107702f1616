//! The one place lowering records its errors. Every lowering function that cannot produce its
//! result records why here and returns `None`; nothing is dropped on the way, and a step that
//! must know whether a part of it failed compares [`Context::mark`]s instead of threading flags.

use crate::error::{SchemaError, SchemaErrorKind, SchemaErrors};

/// The errors recorded so far.
#[derive(Default)]
pub(super) struct Context {
    errors: SchemaErrors,
}

/// A point in the error record, to ask whether anything failed since.
#[derive(Clone, Copy)]
pub(super) struct Mark(usize);

impl Mark {
    /// The start of the record.
    pub const START: Mark = Mark(0);
}

impl Context {
    /// Records a problem at `file#pointer`.
    pub fn error(
        &mut self,
        kind: SchemaErrorKind,
        file: &str,
        pointer: &str,
        message: impl Into<String>,
    ) {
        self.errors
            .push(SchemaError::new(kind, file, pointer, message));
    }

    /// The current point of the record.
    pub fn mark(&self) -> Mark {
        Mark(self.errors.0.len())
    }

    /// Whether no error was recorded since `mark`.
    pub fn clean_since(&self, mark: Mark) -> bool {
        self.errors.0.len() == mark.0
    }

    /// `value` when nothing was recorded since `mark`.
    pub fn unless_failed_since<T>(&self, mark: Mark, value: T) -> Option<T> {
        self.clean_since(mark).then_some(value)
    }

    /// `value`, or every recorded error.
    pub fn finish<T>(self, value: T) -> Result<T, SchemaErrors> {
        self.errors.into_result(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_tell_whether_a_step_failed() {
        let mut cx = Context::default();
        let start = cx.mark();
        assert!(cx.clean_since(start));
        assert_eq!(cx.unless_failed_since(start, 1), Some(1));
        cx.error(SchemaErrorKind::Invalid, "a.json", "/x", "bad");
        assert!(!cx.clean_since(start));
        assert_eq!(cx.unless_failed_since(start, 1), None);
        assert!(cx.clean_since(cx.mark()));
        let errors = cx.finish(()).unwrap_err();
        assert_eq!(errors.0[0].pointer, "/x");
    }

    #[test]
    fn an_empty_record_finishes_with_the_value() {
        assert_eq!(Context::default().finish(7).unwrap(), 7);
    }
}
