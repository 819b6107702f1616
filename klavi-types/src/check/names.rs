//! The member names met so far in one object, to tell a repeated one: the first
//! [`INLINE_NAMES`] are kept on the stack as offsets into the text (eight bytes each, so that
//! starting an object costs little) and compared one by one (Klavi's objects have fewer members
//! than that, a report transaction 27); more spill into a sorted heap list.

use super::reader::JsonStr;

/// How many names are kept without allocating.
pub const INLINE_NAMES: usize = 32;

/// The flag of an escaped name, in the length word.
const ESCAPED: u32 = 1 << 31;

/// Names of one object (those its type does not declare: declared ones are told by a flag).
#[derive(Debug)]
pub struct SeenNames<'a> {
    /// The text the names are slices of.
    text: &'a [u8],
    /// (offset, length | [`ESCAPED`]) of each name, the first `len` in use.
    inline: [(u32, u32); INLINE_NAMES],
    len: usize,
    /// Past [`INLINE_NAMES`]: the decoded names, sorted.
    spilled: Vec<std::borrow::Cow<'a, str>>,
}

impl<'a> SeenNames<'a> {
    /// No names yet, of an object of `text` (the whole document).
    pub fn new(text: &'a [u8]) -> Self {
        SeenNames {
            text,
            inline: [(0, 0); INLINE_NAMES],
            len: 0,
            spilled: Vec::new(),
        }
    }

    /// Whether the name recorded as `(offset, len)` is `name`: the raw bytes compared when
    /// neither is escaped, else the decoded texts.
    fn is(&self, (offset, len): (u32, u32), name: &JsonStr<'_>) -> bool {
        let start = offset as usize;
        let raw = self
            .text
            .get(start..start + (len & !ESCAPED) as usize)
            .unwrap_or_default();
        if len & ESCAPED == 0 && !name.is_escaped() {
            return raw == name.raw().as_bytes();
        }
        // The name was read as a string, so its body is UTF-8.
        let raw = std::str::from_utf8(raw).unwrap_or_default();
        JsonStr::new(raw, len & ESCAPED != 0).same_text(name)
    }

    /// Records `name`; `true` when it was met before (escapes compare decoded: `"a"` and
    /// `"\u0061"` are one name).
    pub fn repeats(&mut self, name: JsonStr<'a>) -> bool {
        if self.inline[..self.len]
            .iter()
            .any(|&seen| self.is(seen, &name))
        {
            return true;
        }
        if self.len < INLINE_NAMES {
            let offset = (name.raw().as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
            // Texts are at most 16 MiB (`MAX_PAYLOAD_BYTES`): offsets and lengths fit.
            if let (Ok(offset), Ok(len)) = (u32::try_from(offset), u32::try_from(name.raw().len()))
                && len < ESCAPED
            {
                let flag = if name.is_escaped() { ESCAPED } else { 0 };
                self.inline[self.len] = (offset, len | flag);
                self.len += 1;
                return false;
            }
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
        let mut seen = SeenNames::new(text.as_bytes());
        for _ in 0..40 {
            assert!(!seen.repeats(reader.string().unwrap()));
        }
        let verdicts: Vec<bool> = (0..4)
            .map(|_| seen.repeats(reader.string().unwrap()))
            .collect();
        assert_eq!(verdicts, [true, true, true, false]);
    }
}
