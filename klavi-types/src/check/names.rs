//! The member names met so far in one object, to tell a repeated one: the first
//! [`INLINE_NAMES`] are kept on the stack and compared one by one (Klavi's objects have fewer
//! members than that, a report transaction 27), more spill into a sorted heap list.

use super::reader::JsonStr;

/// How many names are kept without allocating.
pub const INLINE_NAMES: usize = 32;

/// Names of one object (those its type does not declare: declared ones are told by a flag).
#[derive(Debug)]
pub struct SeenNames<'a> {
    inline: [Option<JsonStr<'a>>; INLINE_NAMES],
    len: usize,
    /// Past [`INLINE_NAMES`]: the decoded names, sorted.
    spilled: Vec<std::borrow::Cow<'a, str>>,
}

impl Default for SeenNames<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> SeenNames<'a> {
    /// No names yet.
    pub fn new() -> Self {
        SeenNames {
            inline: [None; INLINE_NAMES],
            len: 0,
            spilled: Vec::new(),
        }
    }

    /// Records `name`; `true` when it was met before (escapes compare decoded: `"a"` and
    /// `"\u0061"` are one name).
    pub fn repeats(&mut self, name: JsonStr<'a>) -> bool {
        if self.len < INLINE_NAMES {
            if self.inline[..self.len]
                .iter()
                .flatten()
                .any(|seen| seen.same_text(&name))
            {
                return true;
            }
            self.inline[self.len] = Some(name);
            self.len += 1;
            return false;
        }
        if self
            .inline
            .iter()
            .flatten()
            .any(|seen| seen.same_text(&name))
        {
            return true;
        }
        let text = name.text();
        match self.spilled.binary_search(&text) {
            Ok(_) => true,
            Err(at) => {
                self.spilled.insert(at, text);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::reader::Reader;

    #[test]
    fn repeated_names_are_told_inline_and_spilled() {
        let names: Vec<String> = (0..40).map(|i| format!("\"n{i}\"")).collect();
        let text = format!("{} \"n3\" \"n\\u0033\" \"n39\" \"n40\"", names.join(" "));
        let mut reader = Reader::new(&text);
        let mut seen = SeenNames::new();
        for _ in 0..40 {
            assert!(!seen.repeats(reader.string().unwrap()));
        }
        let verdicts: Vec<bool> = (0..4)
            .map(|_| seen.repeats(reader.string().unwrap()))
            .collect();
        assert_eq!(verdicts, [true, true, true, false]);
    }
}
