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

    /// The RFC 6901 JSON Pointer (`""` for the root, `/a/0/b~1c`).
    pub fn to_pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut current = Some(self);
        while let Some(path) = current {
            segments.push(path.segment);
            current = path.parent;
        }
        let mut pointer = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(key) => super::pointer::push_token(&mut pointer, key),
                Segment::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            }
        }
        pointer
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
