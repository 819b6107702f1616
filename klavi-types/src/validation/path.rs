//! A location inside a payload, built on the stack while validating and turned into a JSON
//! Pointer string only when a violation is recorded.

/// A location: the root, or a key or index below a parent location.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl Path<'static> {
    /// The whole payload.
    pub const fn root() -> Self {
        Path {
            parent: None,
            segment: Segment::Root,
        }
    }
}

impl<'a> Path<'a> {
    /// The member `key` of this location (a wire name).
    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The item `index` of this location.
    pub fn index(&self, index: usize) -> Path<'_> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The RFC 6901 JSON Pointer (`""` for the root, `/a/0/b~1c`): one allocation, the
    /// string, sized first.
    pub fn to_pointer(&self) -> String {
        let mut pointer = String::with_capacity(self.len_estimate());
        self.write_to(&mut pointer);
        pointer
    }

    /// About how long the pointer is (exact unless a token needs escaping).
    fn len_estimate(&self) -> usize {
        let own = match self.segment {
            Segment::Root => 0,
            Segment::Key(key) => 1 + key.len(),
            Segment::Index(_) => 1 + 20,
        };
        own + self.parent.map_or(0, Path::len_estimate)
    }

    /// Writes the parents' tokens, then this one (the depth is bounded by the nesting limit).
    fn write_to(&self, pointer: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_to(pointer);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Key(key) => super::pointer::push_token(pointer, key),
            Segment::Index(index) => {
                use std::fmt::Write as _;
                let _ = write!(pointer, "/{index}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        let root = Path::root();
        assert_eq!(root.to_pointer(), "");
        let a = root.key("a/b");
        let item = a.index(3);
        let leaf = item.key("c~d");
        assert_eq!(leaf.to_pointer(), "/a~1b/3/c~0d");
    }
}
